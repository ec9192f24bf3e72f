#!/usr/bin/env python3
"""Writes the tiny .npy, .npz and safetensors fixtures of the Models tests and scripts, with real NumPy.

Run from anywhere: /usr/bin/python3 Tests/ModelsTests/Fixtures/make_file_fixtures.py
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def save(name, array):
    np.save(os.path.join(HERE, name), array, allow_pickle=False)


# The same 2x3 values in several layouts: [[0.5, -1.25, 2], [3, 4.75, -6]].
values = [[0.5, -1.25, 2.0], [3.0, 4.75, -6.0]]
save("f4_2x3.npy", np.array(values, dtype="<f4"))
save("f8_3.npy", np.array([1.5, -2.0, 1e-3], dtype="<f8"))
save("i8_4.npy", np.array([-3, 0, 7, 2147483647], dtype="<i8"))
save("bool_2x2.npy", np.array([[True, False], [False, True]]))
save("fortran_f4_2x3.npy", np.asfortranarray(np.array(values, dtype="<f4")))
save("big_endian_f4_2x3.npy", np.array(values, dtype=">f4"))
save("i4_scalar.npy", np.array(42, dtype="<i4"))
# Version 2.0 header (forced), i4 2x2.
with open(os.path.join(HERE, "v2_i4_2x2.npy"), "wb") as f:
    np.lib.format.write_array(f, np.array([[1, 2], [3, 4]], dtype="<i4"), version=(2, 0))
# Broken files for the error paths: the f4 2x3 file cut 8 bytes short, and an i8 value that
# does not fit in i32.
with open(os.path.join(HERE, "f4_2x3.npy"), "rb") as f:
    whole = f.read()
with open(os.path.join(HERE, "truncated_f4_2x3.npy"), "wb") as f:
    f.write(whole[:-8])
save("i8_out_of_range.npy", np.array([1, 2**40], dtype="<i8"))

# .npz archives: np.savez stores members, np.savez_compressed deflates them.
np.savez(os.path.join(HERE, "stored.npz"), w=np.array(values, dtype="<f4"), ids=np.array([5, -1], dtype="<i8"))
np.savez_compressed(os.path.join(HERE, "deflated.npz"), w=np.array(values, dtype="<f4"),
                    mask=np.array([[True, False], [False, True]]))
# A zip bomb in miniature: 4 MB of zeros that deflate to a few kilobytes.
np.savez_compressed(os.path.join(HERE, "zeros_4mb.npz"), z=np.zeros(1 << 20, dtype="<f4"))


# safetensors files by hand (the format is 8 bytes of header length, JSON, data), broken on purpose.
def safetensors(name, header, data):
    import json
    import struct
    text = json.dumps(header, separators=(",", ":")).encode()
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


good = {"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}}
safetensors("overlapping.safetensors",
            {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
             "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}, bytes(12))
safetensors("truncated.safetensors", good, bytes(10))
