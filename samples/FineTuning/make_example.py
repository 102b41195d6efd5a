"""Writes the worked example of docs/fine-tuning.md into a folder (pure Python, no numpy):
base.safetensors, a rank-4 LoRA adapter (lora/), the merged model (merged.safetensors) and a broken
full fine-tune (broken.safetensors: q_proj as merged, plus large full-rank noise on up_proj)."""
import json, math, os, random, struct, sys

def write(path, tensors):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        rows = tensors[name]
        data = struct.pack("<%df" % (len(rows) * len(rows[0])), *[v for r in rows for v in r])
        header[name] = {"dtype": "F32", "shape": [len(rows), len(rows[0])], "data_offsets": [offset, offset + len(data)]}
        offset += len(data); blobs.append(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h))); f.write(h); [f.write(b) for b in blobs]

def gaussian(rng, rows, cols, scale):
    return [[rng.gauss(0, scale) for _ in range(cols)] for _ in range(rows)]

def add(a, b, s=1.0):
    return [[x + s * y for x, y in zip(ra, rb)] for ra, rb in zip(a, b)]

def matmul(a, b):
    cols = list(zip(*b))
    return [[sum(x * y for x, y in zip(r, c)) for c in cols] for r in a]

out = sys.argv[1] if len(sys.argv) > 1 else "fine-tuning-example"
os.makedirs(os.path.join(out, "lora"), exist_ok=True)
rng = random.Random(18)
d, ffn, r, alpha = 64, 128, 4, 8
base = {f"model.layers.{i}.{m}.weight": gaussian(rng, rows, d, 1 / math.sqrt(d))
        for i in range(2) for m, rows in [("self_attn.q_proj", d), ("self_attn.v_proj", d), ("mlp.up_proj", ffn)]}
write(os.path.join(out, "base.safetensors"), base)

adapter, merged = {}, dict(base)
for i in range(2):
    for m in ["self_attn.q_proj", "self_attn.v_proj"]:
        a, b = gaussian(rng, r, d, 0.05), gaussian(rng, d, r, 0.05)
        adapter[f"base_model.model.model.layers.{i}.{m}.lora_A.weight"] = a
        adapter[f"base_model.model.model.layers.{i}.{m}.lora_B.weight"] = b
        name = f"model.layers.{i}.{m}.weight"
        merged[name] = add(base[name], matmul(b, a), alpha / r)
write(os.path.join(out, "lora", "adapter_model.safetensors"), adapter)
with open(os.path.join(out, "lora", "adapter_config.json"), "w") as f:
    json.dump({"peft_type": "LORA", "r": r, "lora_alpha": alpha, "use_rslora": False, "fan_in_fan_out": False,
               "target_modules": ["q_proj", "v_proj"]}, f, indent=2)
write(os.path.join(out, "merged.safetensors"), merged)

broken = dict(merged)
broken["model.layers.1.mlp.up_proj.weight"] = add(base["model.layers.1.mlp.up_proj.weight"], gaussian(rng, ffn, d, 0.5))
write(os.path.join(out, "broken.safetensors"), broken)
