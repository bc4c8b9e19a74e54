"""Writes a network's weights the ways PyTorch users have them, for Tests/Checkpoints/PyTorchWeightsTests.

Usage: /usr/bin/python3 pytorch_weights.py FOLDER
FOLDER holds source.safetensors (F32 weights, I64 step counters) written by ProbeGrid; every file written
here holds exactly those values (or, for the half-precision variants, those values rounded, with the
rounded values beside them as F32 in *-expected.safetensors). Nothing is downloaded; seeded.
"""
import argparse
import collections
import json
import os
import shutil
import struct
import sys

import torch

from safetensors_file import read_safetensors, write_safetensors


def cast(sd, dtype):
    return collections.OrderedDict((k, v.to(dtype) if v.is_floating_point() else v) for k, v in sd.items())


def shard(sd, folder, count, suffix, save, index_name, duplicate=False):
    os.makedirs(folder, exist_ok=True)
    names = list(sd)
    weight_map, parts = {}, []
    for i in range(count):
        part = names[i * len(names) // count:(i + 1) * len(names) // count]
        file = f"{suffix[0]}-{i + 1:05d}-of-{count:05d}{suffix[1]}"
        parts.append((file, collections.OrderedDict((k, sd[k]) for k in part)))
        weight_map.update({k: file for k in part})
    if duplicate:  # the first shard also holds the second shard's first tensor
        first = next(iter(parts[1][1]))
        parts[0][1][first] = sd[first]
    for file, tensors in parts:
        save(tensors, os.path.join(folder, file))
    with open(os.path.join(folder, index_name), "w") as f:
        json.dump({"metadata": {"total_size": sum(t.numel() * t.element_size() for t in sd.values())}, "weight_map": weight_map}, f, indent=2)


class Runs:
    """An object whose unpickling would run a shell command: a checkpoint must never do it."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def main(folder):
    torch.manual_seed(0)
    sd = read_safetensors(os.path.join(folder, "source.safetensors"))
    p = lambda name: os.path.join(folder, name)

    torch.save(sd, p("sd.pt"))

    params = [v.clone().requires_grad_() for v in sd.values() if v.is_floating_point()]
    optimizer = torch.optim.Adam(params, lr=1e-3)
    for q in params:
        q.grad = torch.randn_like(q)
    optimizer.step()
    torch.save({"model": sd, "optimizer": optimizer.state_dict(), "step": 100, "epoch": 3.5, "run": "demo",
                "betas": (0.9, 0.999), "flags": [True, None], "blob": b"\x00\x01"}, p("wrapped.pth"))
    torch.save({"state_dict": sd}, p("state_dict.bin"))
    torch.save({"ema": sd}, p("only-one.pt"))
    torch.save({"a": sd, "b": sd}, p("two-state-dicts.pt"))
    torch.save(collections.OrderedDict(("module." + k, v) for k, v in sd.items()), p("ddp.pt"))
    torch.save(next(iter(sd.values())), p("tensor.pt"))
    torch.save(sd, p("legacy.pt"), _use_new_zipfile_serialization=False)
    torch.save({"model": sd, "args": argparse.Namespace(lr=0.1)}, p("namespace.pt"))
    torch.save({"model": sd, "hook": Runs(p("ran"))}, p("runs-code.pt"))
    torch.save(sd, p("protocol4.pt"), pickle_protocol=4)

    # Views into one shared storage (offsets) and a transposed, non-contiguous weight.
    flat = torch.cat([v.float().flatten() for v in sd.values() if v.is_floating_point()])
    views, at = collections.OrderedDict(), 0
    for k, v in sd.items():
        if v.is_floating_point():
            views[k] = flat[at:at + v.numel()].view(v.shape)
            at += v.numel()
        else:
            views[k] = v
    matrix = next(k for k, v in sd.items() if v.dim() == 2)
    views[matrix] = sd[matrix].t().contiguous().t()
    assert not views[matrix].is_contiguous()
    torch.save(views, p("views.pt"))

    for dtype, tag in ((torch.bfloat16, "bf16"), (torch.float16, "f16"), (torch.float64, "f64")):
        low = cast(sd, dtype)
        write_safetensors(p(f"{tag}.safetensors"), low, {"format": "pt"})
        write_safetensors(p(f"{tag}-expected.safetensors"), cast(low, torch.float32))
    torch.save(cast(sd, torch.bfloat16), p("bf16.pt"))

    as_safetensors = lambda tensors, path: write_safetensors(path, tensors)
    shard(sd, p("sharded"), 3, ("model", ".safetensors"), as_safetensors, "model.safetensors.index.json")
    shard(sd, p("sharded-bin"), 2, ("pytorch_model", ".bin"), torch.save, "pytorch_model.bin.index.json")
    shard(sd, p("duplicated"), 3, ("model", ".safetensors"), as_safetensors, "model.safetensors.index.json", duplicate=True)

    data = open(p("sd.pt"), "rb").read()
    open(p("truncated.pt"), "wb").write(data[:len(data) // 2])
    # Damage the first storage's bytes (not its length): the zip's checksum no longer matches.
    import zipfile
    with zipfile.ZipFile(p("sd.pt")) as z:
        entry = next(i for i in z.infolist() if i.filename.endswith("/data/0"))
    name_len, extra_len = struct.unpack("<HH", data[entry.header_offset + 26:entry.header_offset + 30])
    start = entry.header_offset + 30 + name_len + extra_len
    damaged = bytearray(data)
    for i in range(start, start + min(4, entry.file_size)):
        damaged[i] ^= 0xFF
    open(p("damaged.pt"), "wb").write(bytes(damaged))

if __name__ == "__main__":
    main(sys.argv[1])
