"""Peer for the `train` row: one AdamW training step of stories260K in PyTorch (CPU, float32).

Usage (with a Python that has `torch` and `numpy`; bench/run.sh makes one in
bench/.venv-torch when PyPI's `torch` installs):

    llama_torch_train.py [--steps S] [--reps R] [--batch B] [--seqlen T]

Prints seconds per training step, one line per timed repetition (each the mean of S steps,
default 10; R = 5 repetitions, after a correctness check and one untimed warm-up step).

The step is the one Prunebook's `train` takes (docs/models.md, "Training"): B = 8 windows of
T = 256 tokens at uniform random offsets of the data README's stream (join=single), the
batched forward of llama2.c's model (RMSNorm eps 1e-5, interleaved RoPE, grouped-query
causal attention, SwiGLU, tied classifier), mean next-token cross-entropy, backward, global
gradient-norm clipping at 1, and AdamW (lr 1e-3, betas 0.9/0.95, eps 1e-8, weight decay 0.1
on the matrices only). The checkpoint and tokenizer are read by llama_numpy.py's loaders.
PyTorch uses its default intra-op threads (every core), as Prunebook's BLAS does.

Check before timing: the perplexity of the first 32 windows under this module (no grad)
must be 3.76082 within 1e-4 relative (stories260K_reference.json), so the timed graph is the
real model.
"""
import argparse
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import llama_numpy as ref  # noqa: E402  (the shared loaders)


class Llama(torch.nn.Module):
    """stories260K with separate q/k/v/w1/w3 matrices, [out, in] like the checkpoint."""

    def __init__(self, m):
        super().__init__()
        d, kv, h = m.dim, m.kv_dim, m.hidden_dim
        p = lambda a: torch.nn.Parameter(torch.from_numpy(np.array(a, dtype=np.float32)))  # noqa: E731
        self.dim, self.n_heads, self.n_kv, self.head = d, m.n_heads, m.n_kv_heads, m.head_size
        self.embedding = p(m.token_embedding)
        self.layers = torch.nn.ModuleList()
        for l in range(m.n_layers):
            layer = torch.nn.Module()
            wqkv, w13 = m.wqkv[l], m.w13[l]
            layer.rms_att, layer.rms_ffn = p(m.rms_att[l]), p(m.rms_ffn[l])
            layer.wq, layer.wk, layer.wv = p(wqkv[:d]), p(wqkv[d:d + kv]), p(wqkv[d + kv:])
            layer.wo, layer.w1, layer.w3, layer.w2 = p(m.wo[l]), p(w13[:h]), p(w13[h:]), p(m.w2[l])
            self.layers.append(layer)
        self.rms_final = p(m.rms_final)
        self.register_buffer("cos", torch.from_numpy(m.cos))
        self.register_buffer("sin", torch.from_numpy(m.sin))

    @staticmethod
    def rmsnorm(x, w):
        return x * torch.rsqrt((x * x).mean(-1, keepdim=True) + ref.EPS) * w

    def rope(self, x):
        """x [B, T, heads, head]: pairs (2j, 2j+1) turn by the checkpoint's angles."""
        T = x.shape[1]
        c, s = self.cos[:T, None, :], self.sin[:T, None, :]
        x0, x1 = x[..., 0::2], x[..., 1::2]
        return torch.stack((x0 * c - x1 * s, x0 * s + x1 * c), dim=-1).flatten(-2)

    def forward(self, ids):
        B, T = ids.shape
        x = self.embedding[ids]
        for L in self.layers:
            a = self.rmsnorm(x, L.rms_att)
            q = self.rope((a @ L.wq.T).view(B, T, self.n_heads, self.head))
            k = self.rope((a @ L.wk.T).view(B, T, self.n_kv, self.head))
            v = (a @ L.wv.T).view(B, T, self.n_kv, self.head)
            group = self.n_heads // self.n_kv
            k, v = k.repeat_interleave(group, dim=2), v.repeat_interleave(group, dim=2)
            o = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), is_causal=True)
            x = x + o.transpose(1, 2).reshape(B, T, self.dim) @ L.wo.T
            f = self.rmsnorm(x, L.rms_ffn)
            x = x + (F.silu(f @ L.w1.T) * (f @ L.w3.T)) @ L.w2.T
        return self.rmsnorm(x, self.rms_final) @ self.embedding.T


def check(model, stream, reference):
    W, n = ref.WINDOW, ref.CHECK_WINDOWS
    with torch.no_grad():
        ids = torch.from_numpy(stream[:n * W + 1].astype(np.int64))
        logits = model(ids[:-1].view(n, W))
        nll = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), ids[1:], reduction="mean").item()
    expected = next(r for r in reference["perplexity_stream_protocol"]["results"]
                    if r["file"] == "tinystories_val.txt" and r["join"] == "single"
                    and r["window"] == W and r["max_windows"] == n)["ppl"]
    ppl = math.exp(nll)
    if abs(ppl - expected) > ref.CHECK_RTOL * expected:
        sys.exit(f"llama_torch_train.py: first {n} windows give ppl {ppl:.6f}, expected {expected}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--reps", type=int, default=ref.REPS)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--seqlen", type=int, default=ref.WINDOW)
    args = parser.parse_args()

    checkpoint = ref.Model(ref.data_path("stories260K.bin"))
    tokenizer = ref.Tokenizer(ref.data_path("tok512.bin"))
    text = open(ref.data_path("tinystories_val.txt"), encoding="utf-8").read()
    stream = ref.stream_tokens(tokenizer, text)
    model = Llama(checkpoint)
    check(model, stream, ref.reference())

    matrices = [p for p in model.parameters() if p.ndim == 2]
    gains = [p for p in model.parameters() if p.ndim != 2]
    optimizer = torch.optim.AdamW([{"params": matrices, "weight_decay": 0.1}, {"params": gains, "weight_decay": 0.0}],
                                  lr=1e-3, betas=(0.9, 0.95), eps=1e-8)
    rng = np.random.default_rng(0)
    tokens = torch.from_numpy(stream.astype(np.int64))
    B, T = args.batch, args.seqlen

    def step():
        starts = rng.integers(0, len(stream) - T, size=B)
        batch = torch.stack([tokens[s:s + T + 1] for s in starts])
        logits = model(batch[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()

    step()  # warm-up
    for _ in range(args.reps):
        start = time.perf_counter()
        for _ in range(args.steps):
            step()
        print((time.perf_counter() - start) / args.steps)


if __name__ == "__main__":
    main()
