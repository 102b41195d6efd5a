# Two seeds of a tiny two-layer MLP at steps 0, 10 and 100: each weight drifts from its random init toward a rank-2 target.
import json, math, random, struct

def save(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, (rows, cols, values) in tensors.items():
        b = struct.pack(f'<{len(values)}f', *values)
        header[name] = {"dtype": "F32", "shape": [rows, cols], "data_offsets": [offset, offset + len(b)]}
        blobs.append(b); offset += len(b)
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * (-len(h) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h))); f.write(h); f.write(b''.join(blobs))

for seed in (1, 2):
    r = random.Random(seed)
    g = lambda n, s: [r.gauss(0, s) for _ in range(n)]
    init = {"fc1.weight": (32, 16, g(512, 0.25)), "fc2.weight": (16, 32, g(512, 0.18))}
    u, v, p, q = g(32, 1), g(16, 1), g(32, 1), g(16, 1)
    rank2 = [u[i] * v[j] + p[i] * q[j] for i in range(32) for j in range(16)]
    target = {"fc1.weight": rank2, "fc2.weight": [rank2[i * 16 + j] for j in range(16) for i in range(32)]}
    for step in (0, 10, 100):
        k = 1 - math.exp(-step / 40)
        save(f"seed{seed}/step-{step}.safetensors",
             {n: (rows, cols, [(1 - k) * a + k * b for a, b in zip(w, target[n])]) for n, (rows, cols, w) in init.items()})
