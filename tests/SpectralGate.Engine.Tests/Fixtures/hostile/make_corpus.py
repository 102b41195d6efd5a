# Writes the committed corpus of hostile inputs (run by hand; tests never need Python). Each file's name says what
# is wrong with it; HostileCorpusTests expects every one to be refused with the documented error. Files named fuzz-*
# are inputs afl-fuzz found (tests/SpectralGate.Fuzz, docs/fuzzing.md), committed as found; this script leaves them be.
import json, struct, os

def st(header, data=b"", declared=None):
    h = header if isinstance(header, bytes) else json.dumps(header).encode()
    n = len(h) if declared is None else declared
    return struct.pack("<Q", n) + h + data

good = st({"a": {"dtype": "F32", "shape": [4, 4], "data_offsets": [0, 64]},
           "b": {"dtype": "F32", "shape": [4, 4], "data_offsets": [64, 128]}}, bytes(128))
files = {
    "safetensors/empty.safetensors": b"",
    "safetensors/short-prefix.safetensors": b"\x01\x02\x03",
    "safetensors/header-past-end.safetensors": st({}, declared=4096),
    "safetensors/header-over-limit.safetensors": st({}, declared=200_000_000),
    "safetensors/header-u64-max.safetensors": st(b"{}", declared=2**64 - 1),
    "safetensors/invalid-utf8.safetensors": st(b'{"\xc3\x28": 1}'),
    "safetensors/not-json.safetensors": st(b"this is not json"),
    "safetensors/json-array.safetensors": st(b"[1, 2, 3]"),
    "safetensors/deep-nesting.safetensors": st(b"[" * 5000 + b"]" * 5000),
    "safetensors/overlapping.safetensors": st({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
                                               "b": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}}, bytes(24)),
    "safetensors/gap.safetensors": st({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                                       "b": {"dtype": "F32", "shape": [2], "data_offsets": [16, 24]}}, bytes(24)),
    "safetensors/size-mismatch.safetensors": st({"a": {"dtype": "F32", "shape": [3, 3], "data_offsets": [0, 16]}}, bytes(16)),
    "safetensors/shape-overflow.safetensors": st({"a": {"dtype": "F32", "shape": [2**40, 2**40], "data_offsets": [0, 16]}}, bytes(16)),
    "safetensors/terabyte-claim.safetensors": st({"a": {"dtype": "F32", "shape": [2**18, 2**20], "data_offsets": [0, 2**40]}}, bytes(16)),
    "safetensors/negative-dim.safetensors": st({"a": {"dtype": "F32", "shape": [-4, 4], "data_offsets": [0, 16]}}, bytes(16)),
    "safetensors/unknown-dtype.safetensors": st({"a": {"dtype": "F128", "shape": [1], "data_offsets": [0, 16]}}, bytes(16)),
    "safetensors/trailing-bytes.safetensors": good + b"junk",
    "safetensors/truncated-data.safetensors": good[:-10],
    "safetensors/truncated-header.safetensors": good[:20],
    "index/escape.safetensors.index.json": json.dumps({"weight_map": {"a": "../outside.safetensors"}}).encode(),
    "index/absolute.safetensors.index.json": json.dumps({"weight_map": {"a": "/etc/passwd"}}).encode(),
    "index/no-weight-map.safetensors.index.json": b'{"metadata": {}}',
    "index/not-json.safetensors.index.json": b"{\"weight_map\": ",
    "index/missing-shard.safetensors.index.json": json.dumps({"weight_map": {"a": "absent-00001.safetensors"}}).encode(),
    "torchsharp/absurd-count.dat": b"\xff\xff\xff\xff\x0f\x01\x02\x03",
    "torchsharp/absurd-name-length.dat": b"\x01\xff\xff\xff\x7f" + b"x" * 8,
    "torchsharp/rank-too-high.dat": b"\x01\x01w\x06\x40" + b"\x01" * 64,
    "torchsharp/dims-overflow.dat": b"\x01\x01w\x06\x02" + b"\x80\x80\x80\x80\x80\x20" * 2,
    "torchsharp/zero-dim-stride-overflow.dat": b"\x01\x01w\x06\x03\x00" + b"\x80\x80\x80\x80\x80\x20" * 2,
    "torchsharp/truncated-data.dat": b"\x01\x01w\x06\x02\x04\x04" + bytes(10),
    "torchsharp/unterminated-varint.dat": b"\x01\x01w" + b"\xff" * 12,
    "baselines/not-json.spectral.json": b"{ \"format_version\": 1, ",
    "baselines/wrong-version.spectral.json": json.dumps({"format_version": 99}).encode(),
    "baselines/no-layers.spectral.json": json.dumps({"format_version": 1, "model": {"path": "m", "format": "f", "sha256": "s", "parameter_count": 1}, "settings": {}}).encode(),
    "baselines/metric-is-string.spectral.json": json.dumps({"format_version": 1, "model": {"path": "m", "format": "f", "sha256": "s", "parameter_count": 1}, "settings": {},
        "layers": [{"name": "w", "kind": "linear", "shape": [8, 8], "labels": [], "metrics": {"alpha": "high"}}]}).encode(),
    "baselines/negative-shape.spectral.json": json.dumps({"format_version": 1, "model": {"path": "m", "format": "f", "sha256": "s", "parameter_count": 1}, "settings": {},
        "layers": [{"name": "w", "kind": "linear", "shape": [-8, 8], "labels": [], "metrics": {}}]}).encode(),
    "baselines/unknown-kind.spectral.json": json.dumps({"format_version": 1, "model": {"path": "m", "format": "f", "sha256": "s", "parameter_count": 1}, "settings": {},
        "layers": [{"name": "w", "kind": "quantum", "shape": [8, 8], "labels": [], "metrics": {}}]}).encode(),
    "baselines/deep-nesting.spectral.json": b"[" * 5000 + b"]" * 5000,
    "baselines/invalid-utf8-in-string.spectral.json": b'{"format_version": 1, "model": {"path": "m\xff", "format": "f", "sha256": "s", "parameter_count": 1}}',
    "index/invalid-utf8-in-string.safetensors.index.json": b'{"weight_map": {"a": "model-\xc3\x28.safetensors"}}',
    "baselines/invalid-utf8.spectral.json": b'{"format_version": 1, "\xff\xfe": 2}',
}

# ONNX, encoded by hand (field numbers from onnx.proto) so that no onnx package is needed.
def varint(n):
    n &= 2**64 - 1
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        out += bytes([b | (0x80 if n else 0)])
        if not n:
            return out
def fv(field, n): return varint(field << 3) + varint(n)
def fb(field, data): return varint(field << 3 | 2) + varint(len(data)) + data
def tensor(name, dims, dtype=1, raw=None, floats=None, external=None):
    t = b"".join(fv(1, d) for d in dims) + fv(2, dtype) + fb(8, name.encode())
    if raw is not None: t += fb(9, raw)
    if floats is not None: t += fb(4, struct.pack("<%df" % len(floats), *floats))
    if external is not None:
        t += b"".join(fb(13, fb(1, k.encode()) + fb(2, v.encode())) for k, v in external) + fv(14, 1)
    return t
def graph(initializers=(), nodes=(), name="g"):
    return b"".join(fb(1, n) for n in nodes) + fb(2, name.encode()) + b"".join(fb(5, t) for t in initializers)
def if_node(subgraph): return fb(4, b"If") + fb(5, fb(1, b"then_branch") + fv(20, 5) + fb(6, subgraph))
def model(g): return fv(1, 9) + fb(7, g) + fb(8, fv(2, 17))
def nested(depth):
    g = graph([tensor("deep.weight", [4, 4], raw=bytes(64))])
    for _ in range(depth): g = graph(nodes=[if_node(g)])
    return g

good_onnx = model(graph([tensor("fc.weight", [8, 8], raw=bytes(256)), tensor("fc2.weight", [8, 8], floats=[0.5] * 64)]))
files.update({
    "onnx/empty.onnx": b"",
    "onnx/not-protobuf.onnx": b"this is not a protobuf message at all \xff\xff\xff",
    "onnx/truncated.onnx": good_onnx[:len(good_onnx) // 2],
    "onnx/length-past-end.onnx": fv(1, 9) + varint(7 << 3 | 2) + varint(1 << 30) + b"\x00" * 16,
    "onnx/nested-subgraphs.onnx": model(nested(40)),
    "onnx/raw-size-mismatch.onnx": model(graph([tensor("w", [4, 4], raw=bytes(10))])),
    "onnx/float-count-mismatch.onnx": model(graph([tensor("w", [4, 4], floats=[1.0] * 5)])),
    "onnx/negative-dim.onnx": model(graph([tensor("w", [-4, 4], raw=bytes(64))])),
    "onnx/shape-overflow.onnx": model(graph([tensor("w", [2**40, 2**40], raw=bytes(16))])),
    "onnx/terabyte-external.onnx": model(graph([tensor("w", [2**18, 2**20], external=[("location", "weights.bin"), ("length", str(2**40))])])),
    "onnx/external-escape.onnx": model(graph([tensor("w", [4, 4], external=[("location", "../outside.bin")])])),
    "onnx/external-absolute.onnx": model(graph([tensor("w", [4, 4], external=[("location", "/etc/passwd")])])),
    "onnx/external-missing.onnx": model(graph([tensor("w", [4, 4], external=[("location", "absent.bin")])])),
    "onnx/external-offset-past-end.onnx": model(graph([tensor("w", [4, 4], external=[("location", "small.bin"), ("offset", "4096"), ("length", "64")])])),
    "onnx/external-repeated-key.onnx": model(graph([tensor("w", [4, 4], external=[("location", "small.bin"), ("location", "small.bin")])])),
    "onnx/small.bin": bytes(64),
})


# Degenerate but well-formed weights, in each format: the engine must give a signature with labels, not an error
# (DegenerateCorpusTests). nan/inf: non_finite; zero: degenerate; rank1: rank 1; bias and empty: skipped.
def f32(values): return struct.pack("<%df" % len(values), *values)
nan_w = [1.0] * 256; nan_w[17] = float("nan")
inf_w = [0.5] * 256; inf_w[3] = float("inf")
rank1 = [(i + 1) * (j - 5.5) for i in range(16) for j in range(12)]
ok = [((i * 7 + j * 3) % 11 - 5) / 4 for i in range(16) for j in range(12)]
degenerate = [("nan.weight", [16, 16], nan_w), ("inf.weight", [16, 16], inf_w), ("zero.weight", [16, 16], [0.0] * 256),
              ("rank1.weight", [16, 12], rank1), ("bias", [16], [0.25] * 16), ("empty.weight", [0, 16], []), ("ok.weight", [16, 12], ok)]
header, offset, data = {}, 0, b""
for name, shape, values in degenerate:
    header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + 4 * len(values)]}
    offset += 4 * len(values); data += f32(values)
files["../degenerate/weights.safetensors"] = st(header, data)
files["../degenerate/weights.onnx"] = model(graph([tensor(n, shape, raw=f32(v)) for n, shape, v in degenerate]))
def leb(n):
    out = b""
    while True:
        b = n & 0x7F; n >>= 7
        out += bytes([b | (0x80 if n else 0)])
        if not n: return out
# TorchSharp Module.save: count, then per tensor name (length-prefixed), scalar type 6 (float32), rank, dims, data.
files["../degenerate/weights.dat"] = leb(len(degenerate)) + b"".join(
    leb(len(n)) + n.encode() + leb(6) + leb(len(shape)) + b"".join(leb(d) for d in shape) + f32(v) for n, shape, v in degenerate)

here = os.path.dirname(os.path.abspath(__file__))
for name, data in files.items():
    path = os.path.join(here, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
print(len(files), "files")
