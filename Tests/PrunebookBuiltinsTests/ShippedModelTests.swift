import Foundation
import PrunebookTestSupport
import Testing

/// The default model the repository ships stays within its size budget and has the notebook
/// that made it.
@Suite struct ShippedModelTests {
    @Test func modelFileIsUnderFourMegabytesAndItsNotebookExists() throws {
        let model = TestPaths.root.appendingPathComponent("models/tiny-stories.safetensors")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: model.path)[.size] as? Int)
        #expect(size < 4 << 20, "models/tiny-stories.safetensors is \(size) bytes")
        let notebook = try String(contentsOf: TestPaths.root.appendingPathComponent("notebooks/train-tiny.md"), encoding: .utf8)
        #expect(notebook.contains("save_model(\"../models/tiny-stories.safetensors\""))
    }
}
