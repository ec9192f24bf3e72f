"""Formats bench/run.sh's measurements into the results table and file.

Usage: report.py MEASUREMENTS.tsv META.tsv OUTPUT.md

MEASUREMENTS.tsv has one `key<TAB>seconds` line per sample a program printed (a key may
repeat: its median is used) or `key<TAB>error` when the program failed. META.tsv has
`field<TAB>value` lines (machine, versions, commit, ...), written in that order. Prints
the table to stdout and writes OUTPUT.md.
"""
import statistics
import sys

# benchmark key, label, primary peer key and name, Lua key or None, target ratio, strict?
ROWS = [
    ("matmul_1024", "`@` 1024×1024 f32", "c", "C cblas_sgemm", None, 0.95, False),
    ("matmul_4096", "`@` 4096×4096 f32", "c", "C cblas_sgemm", None, 0.95, False),
    ("tiny_add", "tiny add, 4 × f32 (per op)", "numpy", "NumPy", None, 2.0, False),
    ("fib", "fib(27)", "python", "CPython", "lua", 1.0, True),
    ("loop", "loop, 10 M × `s += i * i`", "python", "CPython", "lua", None, False),
]

HEADER = ["benchmark", "Prunebook", "peer", "peer time", "ratio", "Lua 5.4", "ratio vs Lua",
          "target", "met?"]


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t", 1) for line in f if line.strip()]


def medians(pairs):
    samples, failed = {}, set()
    for key, value in pairs:
        if value == "error":
            failed.add(key)
        else:
            samples.setdefault(key, []).append(float(value))
    result = {key: statistics.median(values) for key, values in samples.items()}
    for key in failed:
        result[key] = None
    return result


def duration(seconds):
    if seconds is None:
        return "failed"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            value = seconds / scale
            digits = 0 if value >= 100 else 1 if value >= 10 else 2
            return f"{value:.{digits}f} {unit}"


def ratio(peer, prunebook):
    if peer is None or prunebook is None or prunebook <= 0:
        return None
    return peer / prunebook


def times(r):
    return "—" if r is None else f"{r:.3g}×"


def table(m):
    rows = []
    for key, label, peer_key, peer_name, lua_key, target, strict in ROWS:
        prb = m.get(f"{key}.prunebook")
        peer = m.get(f"{key}.{peer_key}")
        lua = m.get(f"{key}.{lua_key}") if lua_key else None
        r = ratio(peer, prb)
        if target is None:
            target_text, met = "—", "n/a"
        else:
            target_text = f"> {target:g}×" if strict else f"≥ {target:g}×"
            met = "—" if r is None else ("yes" if (r > target if strict else r >= target) else "no")
        rows.append([label, duration(prb), peer_name, duration(peer), times(r),
                     duration(lua) if lua_key else "—", times(ratio(lua, prb)) if lua_key else "—",
                     target_text, met])
    widths = [max(len(row[i]) for row in rows + [HEADER]) for i in range(len(HEADER))]
    def line(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"
    out = [line(HEADER), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(row) for row in rows]
    return "\n".join(out)


NOTE = ("ratio = peer time / Prunebook time, so > 1 means Prunebook is faster. "
        "Every time is a median of 5 runs measured inside the process (start-up and "
        "parsing excluded); Lua's are CPU time (os.clock), the others wall-clock.")


def main():
    measurements, meta_path, output = sys.argv[1:4]
    m = medians(read_tsv(measurements))
    meta = read_tsv(meta_path)
    text = NOTE + "\n\n" + table(m) + "\n"
    print(text)
    fields = dict(meta)
    doc = [f"# Benchmark results {fields.get('date', '')}, commit {fields.get('commit', '')}", "",
           text, "## Environment", ""]
    doc += [f"- {field}: {value}" for field, value in meta]
    raw = [f"| {k} | {'failed' if v is None else repr(v)} |" for k, v in sorted(m.items())]
    doc += ["", "## Raw medians (seconds)", "", "| measurement | seconds |", "|---|---|"] + raw
    with open(output, "w", encoding="utf-8") as f:
        f.write("\n".join(doc) + "\n")


main()
