"""Writes torchvision's resnet50 state dict (random init, 25.6M parameters) for the `weights` benchmark.

Usage: /usr/bin/python3 resnet50_weights.py FOLDER
Writes resnet50.safetensors (F32, I64 step counters), resnet50.pt (torch.save zip), resnet50-wrapped.pth
({"model": sd, "optimizer": SGD-with-momentum state, "step": 1}) and sharded/ (3 safetensors shards and
model.safetensors.index.json). Nothing is downloaded: weights=None.
"""
import json
import os
import struct
import sys

import torch
import torchvision

NAMES = {torch.float32: "F32", torch.int64: "I64"}


def write_safetensors(path, tensors):
    header, offset = {}, 0
    for name, t in tensors.items():
        size = t.numel() * t.element_size()
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for t in tensors.values():
            f.write(t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes())


def main(folder):
    torch.manual_seed(0)
    model = torchvision.models.resnet50(weights=None)
    sd = model.state_dict()
    write_safetensors(os.path.join(folder, "resnet50.safetensors"), sd)
    torch.save(sd, os.path.join(folder, "resnet50.pt"))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(torch.randn(2, 3, 64, 64)).sum().backward()
    optimizer.step()
    torch.save({"model": sd, "optimizer": optimizer.state_dict(), "step": 1}, os.path.join(folder, "resnet50-wrapped.pth"))
    shards = os.path.join(folder, "sharded")
    os.makedirs(shards, exist_ok=True)
    names = list(sd)
    weight_map = {}
    for i in range(3):
        part = names[i * len(names) // 3:(i + 1) * len(names) // 3]
        file = f"model-{i + 1:05d}-of-00003.safetensors"
        write_safetensors(os.path.join(shards, file), {k: sd[k] for k in part})
        weight_map.update({k: file for k in part})
    with open(os.path.join(shards, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {}, "weight_map": weight_map}, f)
    print(sum(p.numel() for p in model.parameters()))


if __name__ == "__main__":
    main(sys.argv[1])
