# Writes the committed corpus of hostile inputs (run by hand; tests never need Python). Each file's name says what
# is wrong with it; HostileCorpusTests expects every one to be refused with the documented error.
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
    "baselines/invalid-utf8.spectral.json": b'{"format_version": 1, "\xff\xfe": 2}',
}
here = os.path.dirname(os.path.abspath(__file__))
for name, data in files.items():
    path = os.path.join(here, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
print(len(files), "files")
