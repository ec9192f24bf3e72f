"""Formats bench/run.sh's measurements into the results table and file.

Usage: report.py MEASUREMENTS.tsv META.tsv OUTPUT.md

MEASUREMENTS.tsv has one `key<TAB>seconds` line per sample a program printed (a key may
repeat: its median is used), `key<TAB>error` when the program failed, or `key<TAB>skipped`
when run.sh did not run it (the LLaMA rows without the model files). META.tsv has
`field<TAB>value` lines (machine, versions, commit, ...), written in that order. Prints
the table to stdout and writes OUTPUT.md.
"""
import statistics
import sys

SKIPPED = "skipped"


def row(key, label, peer_key, peer_name, lua_key=None, target=None, strict=False,
        peer_measurement=None, per=None, lua_target=None):
    """One table row. Prunebook's measurement is `{key}.prunebook`, the peer's
    `{key}.{peer_key}` unless `peer_measurement` names another key, Lua's `{key}.{lua_key}`.
    `target` is the ratio to reach (`> target` when `strict`, else `≥`), None for none;
    `lua_target` a ratio vs Lua to reach as well (≥).
    Rows with `per` ("tok", "steps") hold seconds per token or step and are shown as a rate."""
    return dict(key=key, label=label, peer_key=peer_key, peer_name=peer_name, lua_key=lua_key,
                target=target, strict=strict, lua_target=lua_target,
                peer_measurement=peer_measurement or f"{key}.{peer_key}", per=per)


# Issue 14: faster than CPython on every interpreter row, and within 1.5× of Lua's time
# (a ratio vs Lua of at least 1/1.5) on fib and the loops.
WITHIN_LUA = 1 / 1.5


ROWS = [
    row("matmul_1024", "`@` 1024×1024 f32", "c", "C cblas_sgemm", target=0.95),
    row("matmul_4096", "`@` 4096×4096 f32", "c", "C cblas_sgemm", target=0.95),
    row("tiny_add", "tiny add, 4 × f32 (per op)", "numpy", "NumPy", target=2.0),
    row("tiny_matmul", "tiny `@`, 4×4 f32 (per op)", "numpy", "NumPy", target=2.0),
    row("tiny_slice", "tiny slice, one row of 4×4 (per op)", "numpy", "NumPy", target=2.0),
    row("fib", "fib(27)", "python", "CPython", lua_key="lua", target=1.0, strict=True,
        lua_target=WITHIN_LUA),
    row("loop", "loop, 10 M × `s += i * i`", "python", "CPython", lua_key="lua", target=1.0,
        strict=True, lua_target=WITHIN_LUA),
    row("nested", "nested loop 1000×1000 with `if`", "python", "CPython", lua_key="lua",
        target=1.0, strict=True, lua_target=WITHIN_LUA),
    row("strings", "string building, 1 M × `s += \"ab\"`", "python", "CPython", lua_key="lua",
        target=1.0, strict=True),
    row("fields", "record fields, 1 M × `p.x * p.y`", "python", "CPython", lua_key="lua",
        target=1.0, strict=True),
    row("appends", "list append, 1 M × `xs = append(xs, i)`", "python", "CPython",
        lua_key="lua", target=1.0, strict=True),
    row("sparsegpt_4096", "SparseGPT 4096×4096, 50%", "numpy", "NumPy/SciPy", target=3.0),
    row("tsenor_4096_24", "TSENOR 4096×4096, 2:4", "numpy", "NumPy", target=10.0),
    row("tsenor_4096_816", "TSENOR 4096×4096, 8:16", "numpy", "NumPy", target=10.0),
    # Sparse kernels (bench/programs/sparse_lib.prb): the dense sgemv is timed in the same
    # process with the same thread count; SciPy's CSR product is single-threaded.
    *[r for t in (1, 2) for r in (
        row(f"nm_4096_t{t}", f"2:4 GEMV 4096×4096 f32, {t} thread(s)", "sgemv", "OpenBLAS sgemv",
            target=1.7, peer_measurement=f"dense_4096_t{t}.sgemv"),
        row(f"nmh_4096_t{t}", f"2:4 GEMV 4096×4096 f16 values, {t} thread(s)", "sgemv",
            "OpenBLAS sgemv (f32)", target=2.5, peer_measurement=f"dense_4096_t{t}.sgemv"),
        row(f"nm_11008_t{t}", f"2:4 GEMV 11008×4096 f32, {t} thread(s)", "sgemv", "OpenBLAS sgemv",
            target=1.7, peer_measurement=f"dense_11008_t{t}.sgemv"),
        row(f"nmh_11008_t{t}", f"2:4 GEMV 11008×4096 f16 values, {t} thread(s)", "sgemv",
            "OpenBLAS sgemv (f32)", target=2.5, peer_measurement=f"dense_11008_t{t}.sgemv"),
        *[row(f"csr{s}_t{t}", f"CSR SpMV 4096×4096, {s}% sparse, {t} thread(s)", "sgemv",
              "OpenBLAS sgemv", target=2.5 if s == 90 else None,
              peer_measurement=f"dense_4096_t{t}.sgemv") for s in (50, 75, 90, 95)],
        *[row(f"csr{s}_t{t}", f"CSR SpMV 4096×4096, {s}% sparse, {t} thread(s)", "scipy",
              "SciPy CSR (1 thread)", target=1.5 if s == 90 else None,
              peer_measurement=f"csr{s}.scipy") for s in (50, 75, 90, 95)],
    )],
    # stories260K (bench/peers/llama_numpy.py): tokens/s, windows of 256 tokens.
    row("llama_ppl", "LLaMA perplexity, 64 windows (tok/s)", "numpy", "NumPy", target=5.0,
        per="tok"),
    row("llama_ppl_file", "LLaMA perplexity, whole file (tok/s)", "numpy",
        "NumPy, 64 windows", target=5.0, peer_measurement="llama_ppl.numpy", per="tok"),
    # OSSCAR-shrunk (sparsity 0.5) against dense stories260K, both timed by osscar_shrunk.prb:
    # the ratio is the shrunk model's tokens/s over the dense model's.
    row("osscar_shrunk", "OSSCAR-shrunk forward vs dense, sparsity 0.5 (tok/s)", "dense",
        "dense stories260K", per="tok"),
    row("llama_generate", "LLaMA `generate`, 256 tokens (tok/s)", "numpy", "NumPy",
        target=20.0, per="tok"),
    row("tokenize_file", "tokenize tinystories_val.txt (790 KB)", "python", "CPython"),
    # One AdamW step of 8 windows × 256 tokens (bench/peers/llama_torch_train.py); no target.
    row("llama_train", "LLaMA `train`, batch 8×256 (steps/s)", "torch", "PyTorch CPU", per="steps"),
]

HEADER = ["benchmark", "Prunebook", "peer", "peer time", "ratio", "Lua 5.4", "ratio vs Lua",
          "target", "met?"]


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t", 1) for line in f if line.strip()]


def medians(pairs):
    """key -> median seconds, None for a failed program, SKIPPED for one not run."""
    samples, failed, skipped = {}, set(), set()
    for key, value in pairs:
        if value == "error":
            failed.add(key)
        elif value == SKIPPED:
            skipped.add(key)
        else:
            samples.setdefault(key, []).append(float(value))
    result = {key: statistics.median(values) for key, values in samples.items()}
    for key in skipped:
        result[key] = SKIPPED
    for key in failed:
        result[key] = None
    return result


def number(value):
    """A measurement usable in a ratio: a number, else None (failed, skipped, missing)."""
    return value if isinstance(value, float) else None


def duration(seconds):
    if seconds == SKIPPED:
        return SKIPPED
    if seconds is None:
        return "failed"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            value = seconds / scale
            digits = 0 if value >= 100 else 1 if value >= 10 else 2
            return f"{value:.{digits}f} {unit}"


def throughput(seconds_per_item, per="tok"):
    """Items per second from seconds per item, to 3 significant digits: `27.3k tok/s`."""
    if seconds_per_item == SKIPPED:
        return SKIPPED
    if seconds_per_item is None:
        return "failed"
    if seconds_per_item <= 0:
        return "—"
    rate = 1.0 / seconds_per_item
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3), ("", 1.0)):
        if rate >= scale or unit == "":
            value = rate / scale
            digits = 0 if value >= 100 else 1 if value >= 10 else 2
            return f"{value:.{digits}f}{unit} {per}/s"


def ratio(peer, prunebook):
    peer, prunebook = number(peer), number(prunebook)
    if peer is None or prunebook is None or prunebook <= 0:
        return None
    return peer / prunebook


def times(r):
    return "—" if r is None else f"{r:.3g}×"


def table(m):
    rows = []
    for spec in ROWS:
        key, target, strict, lua_key = spec["key"], spec["target"], spec["strict"], spec["lua_key"]
        if f"{key}.prunebook" not in m:
            continue  # its group was not run
        per = spec["per"]
        show = (lambda seconds: throughput(seconds, per)) if per else duration
        prb = m.get(f"{key}.prunebook")
        peer = m.get(spec["peer_measurement"])
        lua = m.get(f"{key}.{lua_key}") if lua_key else None
        r, r_lua, lua_target = ratio(peer, prb), ratio(lua, prb), spec["lua_target"]
        if target is None:
            target_text, met = "—", "n/a"
        else:
            target_text = f"> {target:g}×" if strict else f"≥ {target:g}×"
            reached = r is not None and (r > target if strict else r >= target)
            if lua_target is not None:
                target_text += f", Lua ≥ {lua_target:.3g}×"
                reached = reached and r_lua is not None and r_lua >= lua_target
            met = "—" if r is None else ("yes" if reached else "no")
        rows.append([spec["label"], show(prb), spec["peer_name"], show(peer), times(r),
                     show(lua) if lua_key else "—", times(r_lua) if lua_key else "—",
                     target_text, met])
    widths = [max(len(row[i]) for row in rows + [HEADER]) for i in range(len(HEADER))]
    def line(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"
    out = [line(HEADER), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(row) for row in rows]
    return "\n".join(out)


NOTE = ("ratio = peer time / Prunebook time, so > 1 means Prunebook is faster. "
        "Every time is a median of 5 runs measured inside the process (start-up and "
        "parsing excluded); Lua's are CPU time (os.clock), the others wall-clock. "
        "Rows marked (tok/s) or (steps/s) show throughput, tokens or training steps per second, "
        "instead of a time; their ratio is still peer time / Prunebook time, i.e. Prunebook "
        "rate / peer rate.")


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
    raw = [f"| {k} | {'failed' if v is None else v if v == SKIPPED else repr(v)} |"
           for k, v in sorted(m.items())]
    doc += ["", "## Raw medians (seconds; per token or per step for the LLaMA rows)", "", "| measurement | seconds |", "|---|---|"] + raw
    with open(output, "w", encoding="utf-8") as f:
        f.write("\n".join(doc) + "\n")


main()
