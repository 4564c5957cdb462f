"""Writes the load bodies from MNIST test image 0 (784 pixels / 255 as float32, like the reference body):
body.json  {"model": NAME, "inputs": [[784 floats]]}  (shortest round-trip float32 text, as .NET's "R")
body.bin   the same request in the binary format: "BPF1", rows, columns, name length, flags, name, float32 LE
Usage: python3 make-bodies.py MNIST_DIR MODEL_NAME OUT_DIR"""
import gzip, os, struct, sys

mnist, name, out = sys.argv[1], sys.argv[2], sys.argv[3]
with gzip.open(os.path.join(mnist, "test-images-idx3-ubyte.gz"), "rb") as f:
    magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
    pixels = f.read(rows * cols)
values = [struct.unpack("<f", struct.pack("<f", p / 255.0))[0] for p in pixels]  # float32(p / 255)

def shortest(v):
    for digits in range(1, 10):
        text = "%.*g" % (digits, v)
        if struct.unpack("<f", struct.pack("<f", float(text)))[0] == v:
            return text
    return repr(v)

with open(os.path.join(out, "body.json"), "w") as f:
    f.write('{"model":"%s","inputs":[[%s]]}' % (name, ",".join(shortest(v) for v in values)))
encoded = name.encode("utf-8")
with open(os.path.join(out, "body.bin"), "wb") as f:
    f.write(b"BPF1" + struct.pack("<IIHH", 1, len(values), len(encoded), 0) + encoded)
    f.write(struct.pack("<%df" % len(values), *values))
