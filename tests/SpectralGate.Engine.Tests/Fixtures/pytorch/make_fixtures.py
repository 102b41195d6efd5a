"""Small torch.save files for SpectralGate's PyTorch reader tests (run: python3 make_fixtures.py; needs torch).

Every value is a closed form of its index, so the tests derive what they expect without reading these files
any other way. See README.md.
"""
import collections
import torch

w = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 8
sd = collections.OrderedDict()
sd["fc.weight"] = w
sd["fc.bias"] = torch.arange(4, dtype=torch.float64) - 1.5
sd["half.weight"] = (torch.arange(12, dtype=torch.float32).reshape(3, 4) / 4).half()
sd["bf16.weight"] = (torch.arange(12, dtype=torch.float32).reshape(4, 3) / 4).bfloat16()
sd["tied.weight"] = w.t()          # a transposed view of fc.weight's storage
sd["slice.weight"] = w[1:3]        # a view at storage offset 6
sd["steps"] = torch.arange(5, dtype=torch.int64)
torch.save(sd, "state_dict.pt")

torch.save({"model": collections.OrderedDict([("fc.weight", w)]), "epoch": 3}, "nested.pt")
torch.save(sd, "legacy.pt", _use_new_zipfile_serialization=False)


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(6, 4)


torch.save(Net(), "whole_module.pt")  # pickles the class itself: the reader must refuse it
print(torch.__version__)
