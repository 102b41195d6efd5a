"""Hostile GGUF and torch.save files for HostileCorpusTests and the fuzz targets (python3 make_corpus_gguf_pytorch.py).

Plain Python (struct, zipfile): every pickle is written opcode by opcode and none is ever loaded.
"""
import os
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def gstr(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def gguf(tensors=((b"w", [32, 2], 0, 0),), kv=b"", n_kv=0, version=3, n_tensors=None, data=256, align=32):
    """tensors: (name, ne, type, offset); kv: raw metadata bytes."""
    out = b"GGUF" + struct.pack("<I", version)
    out += struct.pack("<q", len(tensors) if n_tensors is None else n_tensors) + struct.pack("<q", n_kv) + kv
    for name, ne, typ, off in tensors:
        out += struct.pack("<Q", len(name)) + name + struct.pack("<I", len(ne))
        out += b"".join(struct.pack("<q", d) for d in ne) + struct.pack("<IQ", typ, off)
    out += b"\0" * (-len(out) % align)
    return out + b"\0" * data


def write(folder, name, data):
    with open(os.path.join(HERE, folder, name), "wb") as f:
        f.write(data)


write("gguf", "absurd-tensor-count.gguf", gguf(n_tensors=1 << 62))
write("gguf", "negative-tensor-count.gguf", gguf(n_tensors=-5))
write("gguf", "absurd-metadata-count.gguf", gguf(n_kv=1 << 60))
write("gguf", "key-past-end.gguf", gguf(kv=struct.pack("<Q", 1 << 63), n_kv=1))
write("gguf", "array-of-arrays.gguf", gguf(kv=gstr("a") + struct.pack("<IIQ", 9, 9, 1), n_kv=1))
write("gguf", "array-past-end.gguf", gguf(kv=gstr("a") + struct.pack("<IIQ", 9, 4, 1 << 61), n_kv=1))
write("gguf", "alignment-not-power-of-two.gguf", gguf(kv=gstr("general.alignment") + struct.pack("<II", 4, 48), n_kv=1))
write("gguf", "version-1.gguf", gguf(version=1))
write("gguf", "five-dims.gguf", gguf(tensors=((b"w", [32, 1, 1, 1, 2], 0, 0),)))
write("gguf", "negative-dim.gguf", gguf(tensors=((b"w", [32, -2], 0, 0),)))
write("gguf", "dims-overflow.gguf", gguf(tensors=((b"w", [1 << 40, 1 << 40], 0, 0),)))
write("gguf", "unknown-type.gguf", gguf(tensors=((b"w", [32, 2], 4, 0),)))
write("gguf", "partial-block.gguf", gguf(tensors=((b"w", [33, 2], 2, 0),)))
write("gguf", "offset-past-end.gguf", gguf(tensors=((b"w", [32, 2], 0, 1 << 62),)))
write("gguf", "offset-overlap.gguf", gguf(tensors=((b"a", [32, 2], 0, 0), (b"b", [32, 2], 0, 0))))
write("gguf", "terabyte-claim.gguf", gguf(tensors=((b"w", [1 << 20, 1 << 20], 0, 0),)))
write("gguf", "duplicate-name.gguf", gguf(tensors=((b"w", [32, 2], 0, 0), (b"w", [32, 2], 0, 256))))
write("gguf", "truncated-data.gguf", gguf(data=100))


def pickle(body):
    return b"\x80\x02" + body + b"."


def torch_zip(name, pkl, storages=(("0", b"\0" * 16),), prefix="archive"):
    with zipfile.ZipFile(os.path.join(HERE, "pytorch", name), "w", zipfile.ZIP_STORED) as z:
        if pkl is not None:
            z.writestr(prefix + "/data.pkl", pkl)
        for key, data in storages:
            z.writestr(prefix + "/data/" + key, data)
        z.writestr(prefix + "/version", "3\n")


def ustr(s):
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def state_dict(offset=0, size=(2, 2), stride=(2, 1), key="0", numel=4, storage=b"FloatStorage"):
    tup = lambda xs: b"(" + b"".join(b"J" + struct.pack("<i", x) for x in xs) + b"t"
    return pickle(b"ccollections\nOrderedDict\n)R(" + ustr("w") + b"ctorch._utils\n_rebuild_tensor_v2\n(("
                  + ustr("storage") + b"ctorch\n" + storage + b"\n" + ustr(key) + ustr("cpu") + b"J" + struct.pack("<i", numel)
                  + b"tQJ" + struct.pack("<i", offset) + tup(size) + tup(stride)
                  + b"\x89ccollections\nOrderedDict\n)RtRu")


torch_zip("os-system.pt", pickle(b"cos\nsystem\n" + ustr("echo pwned") + b"\x85R"))
torch_zip("builtins-eval.pt", pickle(b"cbuiltins\neval\n" + ustr("1+1") + b"\x85R"))
torch_zip("stack-global-posix.pt", pickle(b"\x8c\x05posix\x8c\x06system\x93" + ustr("id") + b"\x85R"))
torch_zip("reduce-storage.pt", pickle(b"ctorch\nFloatStorage\n)R"))
torch_zip("newobj.pt", pickle(b"ccollections\nOrderedDict\n)\x81"))
torch_zip("huge-memo-index.pt", pickle(b"}j\xff\xff\xff\xff"))
torch_zip("truncated-pickle.pt", b"\x80\x02}" + ustr("abc")[:-1])
torch_zip("view-past-storage.pt", state_dict(offset=2))
torch_zip("missing-storage.pt", state_dict(key="7"))
torch_zip("storage-size-mismatch.pt", state_dict(numel=5))
torch_zip("shape-overflow.pt", state_dict(size=(1 << 30, 1 << 30), stride=(1, 1), numel=4))
torch_zip("unknown-storage.pt", state_dict(storage=b"QUInt8Storage"))
torch_zip("no-data-pkl.pt", None)
write("pytorch", "legacy.pt", b"\x80\x02\x8a\x0al\xfc\x9cF\xf9 j\xa8P\x19.")
write("pytorch", "corrupt-zip.pt", b"PK\x03\x04" + b"\xff" * 60)
