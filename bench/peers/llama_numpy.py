"""Peer for the LLaMA rows: the stories260K forward (llama2.c run.c semantics) in float32 NumPy.

Usage (run with Debian's /usr/bin/python3 and python3-numpy):

    llama_numpy.py ppl [--windows N] [--batch B] [--threads T] [--reps R]
        Perplexity throughput: the first N non-overlapping windows of 256 tokens of
        tinystories_val.txt (the data README's stream protocol, join=single; N = 0 means
        every window of the whole file, 1,519 of them, ~15 s per repetition on 2 cores).
        Prints seconds per scored token, one line per timed repetition. Default N = 64
        (16,384 scored tokens, under a second per repetition).
    llama_numpy.py generate [--reps R]
        Generation throughput: 256 greedy tokens from BOS with a KV cache (stops early on
        BOS, as run.c does). Prints seconds per generated token, one line per repetition.
    llama_numpy.py check [--full]
        Both correctness checks below and the whole-file stream length, then exits;
        `--full` also checks the whole-file perplexity (4.76589 over 1,519 windows).

R defaults to 5 timed repetitions. The files come from $PRUNEBOOK_DATA (default: the
`shared/data` folder beside the repository): stories260K.bin, tok512.bin,
tinystories_val.txt and stories260K_reference.json.

Before timing, `ppl` and `generate` always run their correctness check: `ppl` computes the
perplexity of the first 32 windows (must be 3.76082 within 1e-4 relative), then runs the timed
work once untimed as a warm-up; `generate` computes the greedy ids from BOS (must equal the
reference's `greedy_from_bos` ids), which is also its warm-up. A failed check exits with
status 1 before any timing. Loading and tokenization are not timed; only the forward passes
and the NLL / argmax on their logits are.

Two paths, both float32 (RMSNorm eps 1e-5, interleaved RoPE with theta 10000, grouped-query
causal attention, SwiGLU, final RMSNorm, classifier tied to the token embedding):
- batched (perplexity): B windows (default 4) of W tokens at once, every linear one matrix
  product over [B*W, dim], attention as [W, W] score matrices with a causal mask; batches run
  on T Python threads (default: every available CPU; NumPy releases the GIL inside its loops
  and BLAS calls), with OpenBLAS single-threaded unless OPENBLAS_NUM_THREADS says otherwise;
- KV cache (generation): one token at a time, matrix-vector products, keys and values cached
  (single-threaded: each step's work is far too small to split).
"""
import argparse
import json
import math
import os
import struct
import sys
import time
from concurrent.futures import ThreadPoolExecutor

# The perplexity path spreads windows over Python threads (NumPy releases the GIL inside its
# loops and BLAS calls), so BLAS itself runs single-threaded unless the caller says otherwise;
# the matrices here are tiny (dim 64) and gain nothing from threaded GEMM.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402  (after the environment is set)

BOS = 1
NEWLINE = 13          # the byte-fallback id of "\n" (byte 0x0A + 3)
WINDOW = 256
DEFAULT_WINDOWS = 64  # ppl: first 64 windows = 16,384 scored tokens (~4 % of the file)
DEFAULT_BATCH = 4     # windows per batched forward (larger batches fall out of cache)
GENERATE_STEPS = 256
REPS = 5              # timed repetitions, after the check and a warm-up
CHECK_WINDOWS = 32
CHECK_RTOL = 1e-4
EPS = 1e-5
ROPE_THETA = 10000.0


def data_path(name):
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    folder = os.environ.get("PRUNEBOOK_DATA") or os.path.join(os.path.dirname(repo), "shared", "data")
    path = os.path.join(folder, name)
    if not os.path.isfile(path):
        sys.exit(f"llama_numpy.py: {name} not found in {folder} (set PRUNEBOOK_DATA)")
    return path


# --- Checkpoint ------------------------------------------------------------------------------

class Model:
    """A llama2.c legacy (version 0) checkpoint, with the weights pre-arranged for NumPy."""

    def __init__(self, path):
        raw = open(path, "rb").read()
        (self.dim, self.hidden_dim, self.n_layers, self.n_heads, self.n_kv_heads,
         vocab, self.seq_len) = struct.unpack_from("<7i", raw, 0)
        shared = vocab > 0
        self.vocab_size = abs(vocab)
        self.head_size = self.dim // self.n_heads
        self.kv_dim = self.head_size * self.n_kv_heads
        self.group = self.n_heads // self.n_kv_heads
        floats = np.frombuffer(raw, dtype="<f4", offset=7 * 4)
        offset = 0

        def take(*shape):
            nonlocal offset
            count = math.prod(shape)
            if offset + count > floats.size:
                sys.exit(f"llama_numpy.py: {path} is truncated")
            array = floats[offset:offset + count].reshape(shape).astype(np.float32)
            offset += count
            return array

        d, h, n, kv, v = self.dim, self.hidden_dim, self.n_layers, self.kv_dim, self.vocab_size
        self.token_embedding = take(v, d)
        self.rms_att = take(n, d)
        wq, wk, wv, wo = take(n, d, d), take(n, kv, d), take(n, kv, d), take(n, d, d)
        self.rms_ffn = take(n, d)
        w1, w2, w3 = take(n, h, d), take(n, d, h), take(n, h, d)
        self.rms_final = take(d)
        take(self.seq_len, self.head_size // 2)  # legacy freq_cis_real (unused, as in run.c)
        take(self.seq_len, self.head_size // 2)  # legacy freq_cis_imag
        classifier = self.token_embedding if shared else take(v, d)

        # [out, in] matrices (y = W x). The q, k, v projections are stacked into one matrix,
        # w1 and w3 into another: the same products, fewer calls.
        self.wqkv = [np.ascontiguousarray(np.concatenate([wq[l], wk[l], wv[l]])) for l in range(n)]
        self.wo = [np.ascontiguousarray(wo[l]) for l in range(n)]
        self.w13 = [np.ascontiguousarray(np.concatenate([w1[l], w3[l]])) for l in range(n)]
        self.w2 = [np.ascontiguousarray(w2[l]) for l in range(n)]
        self.classifier = np.ascontiguousarray(classifier)
        # Transposed copies for the batched path (X @ W^T with X [rows, in]).
        self.wqkv_t = [np.ascontiguousarray(w.T) for w in self.wqkv]
        self.wo_t = [np.ascontiguousarray(w.T) for w in self.wo]
        self.w13_t = [np.ascontiguousarray(w.T) for w in self.w13]
        self.w2_t = [np.ascontiguousarray(w.T) for w in self.w2]
        self.classifier_t = np.ascontiguousarray(classifier.T)

        # RoPE tables [seq_len, head_size / 2]: pair j of a head (elements 2j, 2j+1) turns by
        # pos * 10000^(-2j / head_size), computed in float32 as run.c does.
        j = np.arange(self.head_size // 2, dtype=np.float32)
        freq = (np.float32(1.0) / np.power(np.float32(ROPE_THETA),
                                           (2 * j) / np.float32(self.head_size))).astype(np.float32)
        angle = np.arange(self.seq_len, dtype=np.float32)[:, None] * freq[None, :]
        self.cos = np.cos(angle.astype(np.float64)).astype(np.float32)
        self.sin = np.sin(angle.astype(np.float64)).astype(np.float32)


def rmsnorm(x, weight):
    """x * weight / sqrt(mean(x^2) + eps) over the last axis, in float32."""
    ms = np.mean(x * x, axis=-1, keepdims=True, dtype=np.float32)
    return x * (np.float32(1.0) / np.sqrt(ms + np.float32(EPS))) * weight


def rope(x, cos, sin):
    """Rotates pairs (2j, 2j+1) of each head in place; x [..., T, heads, head_size],
    cos/sin [T, head_size / 2]."""
    pairs = x.reshape(x.shape[:-1] + (x.shape[-1] // 2, 2))
    x0 = pairs[..., 0].copy()
    x1 = pairs[..., 1].copy()
    c = cos[:, None, :]
    s = sin[:, None, :]
    pairs[..., 0] = x0 * c - x1 * s
    pairs[..., 1] = x0 * s + x1 * c


# --- Batched path (perplexity) ---------------------------------------------------------------

def batched_logits(model, tokens):
    """Logits [B, T, vocab] for B windows `tokens` [B, T], each at positions 0..T-1 from an
    empty cache."""
    m = model
    b, t = tokens.shape
    hs, nh, nkv, g = m.head_size, m.n_heads, m.n_kv_heads, m.group
    x = m.token_embedding[tokens.reshape(-1)]                       # [B*T, dim]
    cos, sin = m.cos[:t], m.sin[:t]
    mask = np.triu(np.full((t, t), -np.inf, dtype=np.float32), k=1)
    scale = np.float32(1.0 / math.sqrt(hs))
    for l in range(m.n_layers):
        xb = rmsnorm(x, m.rms_att[l])
        qkv = xb @ m.wqkv_t[l]                                      # [B*T, dim + 2 kv_dim]
        qk = np.ascontiguousarray(qkv[:, :m.dim + m.kv_dim]).reshape(b, t, nh + nkv, hs)
        rope(qk, cos, sin)                                          # query and key heads
        q, k = qk[:, :, :nh], qk[:, :, nh:]
        v = qkv[:, m.dim + m.kv_dim:].reshape(b, t, nkv, hs)
        # Query head h = kv * group + i reads kv head kv: the group's queries are stacked
        # into one [group * T, hs] matrix per kv head, so each product is one BLAS call.
        qh = np.ascontiguousarray(q.reshape(b, t, nkv, g, hs).transpose(0, 2, 3, 1, 4))
        qh = qh.reshape(b, nkv, g * t, hs)
        kt = np.ascontiguousarray(k.transpose(0, 2, 3, 1))         # [B, kv, hs, T]
        vh = np.ascontiguousarray(v.transpose(0, 2, 1, 3))         # [B, kv, T, hs]
        scores = np.matmul(qh, kt).reshape(b, nkv, g, t, t)         # [B, kv, g, T, T]
        scores *= scale
        scores += mask
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        att = np.matmul(scores.reshape(b, nkv, g * t, t), vh)       # [B, kv, g * T, hs]
        att = att.reshape(b, nkv, g, t, hs).transpose(0, 3, 1, 2, 4).reshape(b * t, m.dim)
        x = x + att @ m.wo_t[l]
        xb = rmsnorm(x, m.rms_ffn[l])
        h13 = xb @ m.w13_t[l]                                       # [B*T, 2 hidden]
        h1, h3 = h13[:, :m.hidden_dim], h13[:, m.hidden_dim:]
        hidden = h1 * (np.float32(1.0) / (np.float32(1.0) + np.exp(-h1))) * h3
        x = x + hidden @ m.w2_t[l]
    x = rmsnorm(x, m.rms_final)
    return (x @ m.classifier_t).reshape(b, t, m.vocab_size)


def windows_nll(model, inputs, targets):
    """Summed NLL (nats) of targets [B, T] given inputs [B, T]; log-softmax in float64."""
    logits = batched_logits(model, inputs).astype(np.float64)
    top = logits.max(axis=-1, keepdims=True)
    lse = np.log(np.exp(logits - top).sum(axis=-1)) + top[..., 0]
    picked = np.take_along_axis(logits, targets[..., None], axis=-1)[..., 0]
    return float((lse - picked).sum())


def perplexity(model, stream, window, max_windows, batch, pool):
    """The README's stream protocol: inputs s[i:i+W], targets s[i+1:i+W+1] for i = 0, W, ...;
    a last partial window counts if it has >= 2 tokens. Batches of `batch` windows run on the
    thread pool; their NLLs are summed in window order, so the result does not depend on
    scheduling. Returns (ppl, windows, scored)."""
    count = (len(stream) - 2) // window + 1
    if max_windows:
        count = min(count, max_windows)
    full = min(count, (len(stream) - 1) // window)
    jobs = []                                                       # (inputs, targets)
    for start in range(0, full, batch):
        n = min(batch, full - start)
        rows = stream[start * window:(start + n) * window + 1]
        jobs.append((rows[:-1].reshape(n, window), rows[1:].reshape(n, window)))
    if full < count:                                                # the last partial window
        rows = stream[full * window:]
        jobs.append((rows[None, :-1], rows[None, 1:]))
    total = sum(pool.map(lambda job: windows_nll(model, *job), jobs))
    scored = sum(targets.size for _, targets in jobs)
    return math.exp(total / scored), count, scored


# --- KV-cache path (generation) --------------------------------------------------------------

def generate(model, steps):
    """Greedy ids from BOS with a KV cache, as run.c `-t 0 -n steps` makes them: `steps`
    forward calls at positions 0..steps-1, each appending its argmax, stopping early when
    the argmax is BOS. Returns BOS followed by the generated ids."""
    m = model
    hs, nkv, g = m.head_size, m.n_kv_heads, m.group
    steps = min(steps, m.seq_len)
    k_cache = np.zeros((m.n_layers, nkv, steps, hs), dtype=np.float32)
    v_cache = np.zeros((m.n_layers, nkv, steps, hs), dtype=np.float32)
    scale = np.float32(1.0 / math.sqrt(hs))
    ids = [BOS]
    token = BOS
    for pos in range(steps):
        x = m.token_embedding[token]
        cos, sin = m.cos[pos:pos + 1], m.sin[pos:pos + 1]
        for l in range(m.n_layers):
            xb = rmsnorm(x, m.rms_att[l])
            qkv = m.wqkv[l] @ xb
            qk = qkv[:m.dim + m.kv_dim].reshape(1, m.n_heads + nkv, hs)  # view into qkv
            rope(qk, cos, sin)
            q = qk[0, :m.n_heads]
            k_cache[l, :, pos] = qk[0, m.n_heads:]
            v_cache[l, :, pos] = qkv[m.dim + m.kv_dim:].reshape(nkv, hs)
            keys = k_cache[l, :, :pos + 1]                          # [kv, T, hs]
            values = v_cache[l, :, :pos + 1]
            scores = np.matmul(q.reshape(nkv, g, hs), keys.transpose(0, 2, 1))  # [kv, g, T]
            scores *= scale
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            att = np.matmul(scores, values).reshape(m.dim)          # [kv, g, hs] -> [dim]
            x = x + m.wo[l] @ att
            xb = rmsnorm(x, m.rms_ffn[l])
            h13 = m.w13[l] @ xb
            h1, h3 = h13[:m.hidden_dim], h13[m.hidden_dim:]
            x = x + m.w2[l] @ (h1 * (np.float32(1.0) / (np.float32(1.0) + np.exp(-h1))) * h3)
        logits = m.classifier @ rmsnorm(x, m.rms_final)
        token = int(np.argmax(logits))                              # first maximum, as run.c
        if token == BOS:
            break
        ids.append(token)
    return ids


# --- Tokenizer (tok512.bin, run.c `encode`) --------------------------------------------------

class Tokenizer:
    def __init__(self, path):
        raw = open(path, "rb").read()
        (self.max_token_length,) = struct.unpack_from("<i", raw, 0)
        offset = 4
        self.pieces, self.scores = [], []
        while offset < len(raw):
            score, length = struct.unpack_from("<fi", raw, offset)
            offset += 8
            self.pieces.append(raw[offset:offset + length])
            self.scores.append(score)
            offset += length
        self.ids = {}
        for i, piece in enumerate(self.pieces):
            self.ids.setdefault(piece, i)
        # No piece holds a space after its first byte, so no merge crosses the boundary in
        # front of a space: text can be encoded in space-led chunks (and cached) with exactly
        # the result of encoding it whole.
        self.chunkable = all(b" " not in p[1:] for p in self.pieces)
        self.cache = {}

    def _merge(self, ids):
        """run.c's merge loop: repeatedly merge the adjacent pair whose concatenation is a
        piece with the highest score (leftmost on ties)."""
        while len(ids) > 1:
            best, best_score, best_id = -1, -1e10, -1
            for i in range(len(ids) - 1):
                merged = self.ids.get(self.pieces[ids[i]] + self.pieces[ids[i + 1]])
                if merged is not None and self.scores[merged] > best_score:
                    best, best_score, best_id = i, self.scores[merged], merged
            if best < 0:
                break
            ids[best:best + 2] = [best_id]
        return ids

    def _encode_raw(self, text):
        ids = []
        for ch in text:                                             # one code point at a time
            piece = ch.encode("utf-8")
            i = self.ids.get(piece)
            if i is not None:
                ids.append(i)
            else:
                ids.extend(b + 3 for b in piece)                    # byte fallback
        return self._merge(ids)

    def _encode_chunk(self, chunk):
        ids = self.cache.get(chunk)
        if ids is None:
            ids = self.cache[chunk] = self._encode_raw(chunk)
        return ids

    def encode(self, text, dummy_prefix=True):
        """Ids of one line of text (no BOS), with run.c's dummy-prefix space if asked."""
        if text and dummy_prefix:
            text = " " + text
        if not self.chunkable:
            return self._encode_raw(text)
        ids, start = [], 0
        for i in range(1, len(text) + 1):
            if i == len(text) or text[i] == " ":
                ids.extend(self._encode_chunk(text[start:i]))
                start = i
        return ids


def stream_tokens(tokenizer, text, limit=None):
    """The README's stream protocol, join=single: non-empty lines, the first encoded with the
    dummy prefix, each later one preceded by token 13 and encoded without it. Stops once
    `limit` tokens are there (the prefix is the same as the whole stream's)."""
    ids = []
    for line in text.split("\n"):
        if line == "":
            continue
        if ids:
            ids.append(NEWLINE)
            ids.extend(tokenizer.encode(line, dummy_prefix=False))
        else:
            ids.extend(tokenizer.encode(line, dummy_prefix=True))
        if limit is not None and len(ids) >= limit:
            break
    return np.array(ids, dtype=np.int64)


# --- Checks and timing -----------------------------------------------------------------------

def reference():
    with open(data_path("stories260K_reference.json"), encoding="utf-8") as f:
        return json.load(f)


def check_ppl(model, stream, batch, pool, ref):
    """The first 32 windows of 256 against the reference (ppl 3.76082); returns the ppl."""
    expected = next(r for r in ref["perplexity_stream_protocol"]["results"]
                    if r["file"] == "tinystories_val.txt" and r["join"] == "single"
                    and r["window"] == WINDOW and r["max_windows"] == CHECK_WINDOWS)
    if stream[:32].tolist() != expected["first_stream_ids"]:
        sys.exit("llama_numpy.py: the first 32 stream ids differ from the reference")
    ppl, windows, scored = perplexity(model, stream, WINDOW, CHECK_WINDOWS, batch, pool)
    if (windows, scored) != (CHECK_WINDOWS, expected["scored_tokens"]) or \
            abs(ppl - expected["ppl"]) > CHECK_RTOL * expected["ppl"]:
        sys.exit(f"llama_numpy.py: first {CHECK_WINDOWS} windows: ppl {ppl:.6f} over {scored} "
                 f"tokens, expected {expected['ppl']} over {expected['scored_tokens']} "
                 f"(within {CHECK_RTOL:g} relative)")
    return ppl


def check_generate(model, ref):
    expected = ref["greedy_from_bos"]["ids"]
    ids = generate(model, GENERATE_STEPS)
    if ids != expected:
        first = next((i for i, (a, b) in enumerate(zip(ids, expected)) if a != b),
                     min(len(ids), len(expected)))
        sys.exit(f"llama_numpy.py: greedy ids differ from the reference at index {first} "
                 f"(got {len(ids)} ids, expected {len(expected)})")
    return ids


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["ppl", "generate", "check", "tokenize"])
    parser.add_argument("--windows", type=int, default=DEFAULT_WINDOWS,
                        help=f"ppl: windows of {WINDOW} to score, 0 = the whole file "
                             f"(default {DEFAULT_WINDOWS})")
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH,
                        help=f"ppl: windows per batched forward (default {DEFAULT_BATCH})")
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)),
                        help="ppl: threads running batches concurrently (default: every "
                             "available CPU)")
    parser.add_argument("--full", action="store_true",
                        help="check: also the whole-file perplexity (~15 s)")
    parser.add_argument("--reps", type=int, default=REPS,
                        help=f"timed repetitions (default {REPS})")
    args = parser.parse_args()
    if args.windows < 0 or min(args.batch, args.threads, args.reps) < 1:
        parser.error("--windows must be >= 0, --batch, --threads and --reps >= 1")
    pool = ThreadPoolExecutor(args.threads)

    if args.mode == "tokenize":
        # Seconds to encode the whole validation file into the join=single stream, a fresh
        # tokenizer (and so an empty chunk cache) per repetition.
        with open(data_path("tinystories_val.txt"), encoding="utf-8") as f:
            text = f.read()
        for _ in range(args.reps):
            t0 = time.perf_counter()
            stream = stream_tokens(Tokenizer(data_path("tok512.bin")), text)
            elapsed = time.perf_counter() - t0
            assert len(stream) == 388716, len(stream)
            print(repr(elapsed), flush=True)
        return

    model = Model(data_path("stories260K.bin"))
    ref = reference()
    if args.mode in ("ppl", "check"):
        tokenizer = Tokenizer(data_path("tok512.bin"))
        with open(data_path("tinystories_val.txt"), encoding="utf-8") as f:
            text = f.read()
        windows = args.windows if args.mode == "ppl" else 0
        limit = None if windows == 0 else max(windows, CHECK_WINDOWS) * WINDOW + 1
        stream = stream_tokens(tokenizer, text, limit)
        ppl = check_ppl(model, stream, args.batch, pool, ref)
        if args.mode == "check":
            print(f"ok: ppl of the first {CHECK_WINDOWS} windows of {WINDOW} = {ppl:.6f} "
                  f"(reference 3.76082)")
            whole = next(r for r in ref["perplexity_stream_protocol"]["results"]
                         if r["file"] == "tinystories_val.txt" and r["join"] == "single"
                         and r["window"] == WINDOW and r["max_windows"] is None)
            if len(stream) != whole["stream_tokens"]:
                sys.exit(f"llama_numpy.py: the whole-file stream has {len(stream)} tokens, "
                         f"expected {whole['stream_tokens']}")
            print(f"ok: whole-file stream has {len(stream)} tokens "
                  f"(reference {whole['stream_tokens']})")
            if args.full:
                ppl, windows, scored = perplexity(model, stream, WINDOW, 0, args.batch, pool)
                if (windows, scored) != (whole["windows"], whole["scored_tokens"]) or \
                        abs(ppl - whole["ppl"]) > CHECK_RTOL * whole["ppl"]:
                    sys.exit(f"llama_numpy.py: whole-file ppl {ppl:.6f} over {windows} windows, "
                             f"{scored} tokens; expected {whole['ppl']} over {whole['windows']}, "
                             f"{whole['scored_tokens']}")
                print(f"ok: whole-file ppl = {ppl:.6f} over {windows} windows, {scored} scored "
                      f"tokens (reference {whole['ppl']})")
    if args.mode in ("generate", "check"):
        ids = check_generate(model, ref)                            # also the warm-up
        if args.mode == "check":
            print(f"ok: greedy generation from BOS matches the reference "
                  f"({len(ids) - 1} tokens after BOS)")
            return

    if args.mode == "ppl":
        perplexity(model, stream, WINDOW, windows, args.batch, pool)  # warm-up on the timed work
        for _ in range(args.reps):
            t0 = time.perf_counter()
            _, _, scored = perplexity(model, stream, WINDOW, windows, args.batch, pool)
            elapsed = time.perf_counter() - t0
            print(repr(elapsed / scored), flush=True)
    else:
        for _ in range(args.reps):
            t0 = time.perf_counter()
            ids = generate(model, GENERATE_STEPS)
            elapsed = time.perf_counter() - t0
            print(repr(elapsed / (len(ids) - 1)), flush=True)


if __name__ == "__main__":
    main()
