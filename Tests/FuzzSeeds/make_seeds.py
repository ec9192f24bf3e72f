"""Writes the small committed fuzz seeds of Tests/FuzzSeeds (docs/fuzzing.md): valid files
in the formats whose test fixtures are all broken or too big to fuzz from. Standard library
only; rerun after changing it: `python3 Tests/FuzzSeeds/make_seeds.py`."""
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(folder, name, data):
    os.makedirs(os.path.join(HERE, folder), exist_ok=True)
    with open(os.path.join(HERE, folder, name), "wb") as f:
        f.write(data)


def safetensors(tensors, metadata):
    """tensors: (name, dtype, shape, raw bytes) in buffer order."""
    header, offset = {}, 0
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack("<Q", len(text)) + text + b"".join(t[3] for t in tensors)


def checkpoint(dim, hidden, layers, heads, kv_heads, vocab, seq):
    """A llama2.c version-0 checkpoint with small distinct weights; negative vocab: untied."""
    head = dim // heads
    kv_dim = kv_heads * head
    v = abs(vocab)
    counts = [v * dim, layers * dim, layers * dim * dim, layers * kv_dim * dim, layers * kv_dim * dim,
              layers * dim * dim, layers * dim, layers * hidden * dim, layers * dim * hidden,
              layers * hidden * dim, dim, seq * head // 2, seq * head // 2]
    if vocab < 0:
        counts.append(v * dim)
    floats = [((i * 37) % 101 - 50) / 100 for i in range(sum(counts))]
    return struct.pack("<7i", dim, hidden, layers, heads, kv_heads, vocab, seq) + struct.pack(f"<{len(floats)}f", *floats)


def tokenizer(pieces):
    """A llama2.c tokenizer file: max piece length, then (score, length, bytes) per piece."""
    out = struct.pack("<i", max(len(p) for p in pieces))
    for i, piece in enumerate(pieces):
        out += struct.pack("<fi", -float(i), len(piece)) + piece
    return out


write("safetensors", "mixed.safetensors", safetensors([
    ("w", "F32", [2, 2], struct.pack("<4f", 1, -2, 0.5, 3)),
    ("h", "F16", [3], struct.pack("<3e", 1, 2, -0.25)),
    ("b", "BF16", [2], bytes([0x80, 0x3f, 0x00, 0x40])),
    ("i", "I64", [2], struct.pack("<2q", 7, -3)),
    ("m", "BOOL", [3], bytes([1, 0, 1])),
    ("u", "U8", [1, 2], bytes([5, 250])),
], {"format": "pt", "note": "fuzz seed"}))
write("llama2c", "tied.bin", checkpoint(8, 16, 1, 2, 2, 6, 4))
write("llama2c", "untied_gqa.bin", checkpoint(8, 12, 2, 4, 2, -5, 2))
write("tokenizer", "tiny.bin", tokenizer([b"<unk>", b"<s>", b"</s>", b" ", b"a", b"b", b"ab", b" a", b"<0x0A>", b"\xe2\x96\x81"]))
