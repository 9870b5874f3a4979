#!/usr/bin/env python3
"""Writes tests/xbar/data/: NumPy files made by hand (no NumPy needed), as np.save and
np.savez_compressed lay them out, plus bad CSV and weight files for the error tests."""
import os, struct, zipfile

os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))

def npy(descr, shape, payload, fortran=False):
    sh = "(%s)" % (", ".join(map(str, shape)) + ("," if len(shape) == 1 else ""))
    h = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, "True" if fortran else "False", sh)
    while (10 + len(h) + 1) % 64:
        h += " "
    h += "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h.encode() + payload

# A 3 -> 2 -> 1 network: float32 C-order layer 0, float64 Fortran-order layer 1, int32 bias.
with zipfile.ZipFile("compressed.npz", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("w0.npy", npy("<f4", (3, 2), struct.pack("<6f", 1, 2, 3, 4, 5, 6)))
    z.writestr("b0.npy", npy("<f4", (2,), struct.pack("<2f", 0.5, -0.5)))
    z.writestr("w1.npy", npy("<f8", (2, 1), struct.pack("<2d", 7, 8), fortran=True))
    z.writestr("b1.npy", npy("<i4", (1,), struct.pack("<i", 9)))
with open("fortran.npy", "wb") as f:
    f.write(npy("<f8", (2, 3), struct.pack("<6d", 1, 4, 2, 5, 3, 6), fortran=True))
with open("bad_dtype.npy", "wb") as f:
    f.write(npy(">f8", (2,), struct.pack(">2d", 1, 2)))
with open("short.npy", "wb") as f:
    f.write(npy("<f8", (3,), struct.pack("<2d", 1, 2)))
open("bad_row.csv", "w").write("# weights\n1, 2, 3\n4, x5, 6\n")
open("ragged.csv", "w").write("1,2,3\n4,5\n")
open("layer0.csv", "w").write("1,0\n0,1\n1,1\n0,0\n")  # 3 inputs + bias -> 2
open("layer1_bad.csv", "w").write("1\n1\n1\n1\n1\n")   # 4 inputs + bias -> 1: does not fit layer 0
