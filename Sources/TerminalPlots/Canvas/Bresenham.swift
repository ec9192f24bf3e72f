/// Bresenham's line algorithm on an integer grid.
enum Bresenham {
    /// The grid points from `(x0, y0)` to `(x1, y1)`, both ends included, in order.
    static func points(x0: Int, y0: Int, x1: Int, y1: Int) -> [(x: Int, y: Int)] {
        var result: [(x: Int, y: Int)] = []
        let dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1
        let dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        var x = x0, y = y0
        result.reserveCapacity(max(dx, -dy) + 1)
        while true {
            result.append((x, y))
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
        return result
    }
}
