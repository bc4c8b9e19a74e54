"""torchvision's ImageFolder as the peer of ProbeGrid's image-folder data set (torchvision 0.14, PIL 9.4).

  make OUT                    writes a small seeded image folder: PNG and JPEG, RGB, grayscale, RGBA and palette
                              images of odd sizes, upper-case extensions, a non-image file.
  read ROOT OUT [options]     reads ROOT with torchvision.datasets.ImageFolder and writes what it sees to OUT:
                              meta.json (classes, targets, relative paths, sample shape), pil.bin (the usual PIL
                              eval pipeline: Resize, CenterCrop, ToTensor, Normalize) and tensor.bin (the same
                              decoded bytes through torch's antialiased bilinear on tensors, rounded to uint8 as
                              torchvision's tensor Resize does), both float32 little-endian, sample after sample.
Nothing is downloaded; everything is seeded.
"""
import json
import os
import sys

import numpy as np
import torch
import torchvision.transforms as T
import torchvision.transforms.functional as F
from PIL import Image
from torchvision.datasets import ImageFolder


def make(out):
    rng = np.random.default_rng(7)

    def smooth(h, w, c):
        # Smooth colour fields with some texture, so resizing and JPEG have real work to do.
        y, x = np.mgrid[0:h, 0:w].astype(np.float64)
        planes = []
        for _ in range(c):
            a, b, p = rng.uniform(0.02, 0.2, 3)
            plane = 127 + 80 * np.sin(a * x + p) * np.cos(b * y) + rng.normal(0, 20, (h, w))
            planes.append(plane)
        return np.clip(np.stack(planes, -1), 0, 255).astype(np.uint8)

    specs = {
        # ordinal order: 'Zebra' < 'apple' < 'banana' (torchvision sorts with Python's sorted, by code point)
        "banana": [("b0.png", "RGB", 37, 53), ("b1.JPG", "RGB", 64, 48), ("b2.png", "L", 41, 29), ("b3.jpeg", "L", 50, 50),
                   ("b4.png", "RGBA", 33, 45)],
        "apple": [("a0.jpg", "RGB", 71, 39), ("a1.PNG", "P", 40, 40), ("a2.png", "RGB", 32, 32), ("a3.jpg", "RGB", 45, 61)],
        "Zebra": [("z0.png", "RGB", 29, 35), ("z1.jpg", "RGB", 56, 34), ("z2.png", "L", 60, 36)],
    }
    for cls, files in specs.items():
        os.makedirs(os.path.join(out, cls), exist_ok=True)
        for name, mode, w, h in files:
            if mode == "L":
                image = Image.fromarray(smooth(h, w, 1)[:, :, 0], "L")
            elif mode == "RGBA":
                image = Image.fromarray(smooth(h, w, 4), "RGBA")
            elif mode == "P":
                image = Image.fromarray(smooth(h, w, 3), "RGB").quantize(64)
            else:
                image = Image.fromarray(smooth(h, w, 3), "RGB")
            path = os.path.join(out, cls, name)
            if name.lower().endswith((".jpg", ".jpeg")):
                image.save(path, format="JPEG", quality=90)
            else:
                image.save(path, format="PNG")
    with open(os.path.join(out, "apple", "notes.txt"), "w") as f:
        f.write("not an image: ImageFolder and ProbeGrid leave it out\n")


def read(root, out, resize, crop, mean, std, channels):
    os.makedirs(out, exist_ok=True)
    gray = [T.Grayscale(1)] if channels == 1 else []
    resize_step = [T.Resize(resize)] if resize > 0 else []
    pil_pipeline = T.Compose(gray + resize_step + [T.CenterCrop(crop), T.ToTensor(), T.Normalize(mean, std)])
    dataset = ImageFolder(root, transform=pil_pipeline)

    loader = ImageFolder(root)  # the same files as PIL images (convert("RGB")), for the tensor path
    pil_out, tensor_out = [], []
    for i in range(len(dataset)):
        x, _ = dataset[i]
        pil_out.append(x.numpy().astype("<f4"))
        image, _ = loader[i]
        if channels == 1:
            image = image.convert("L")
        t = torch.from_numpy(np.array(image, dtype=np.uint8))
        t = t.unsqueeze(0) if t.ndim == 2 else t.permute(2, 0, 1)
        if resize > 0:
            t = F.resize(t, [resize], interpolation=T.InterpolationMode.BILINEAR, antialias=True)
        t = F.center_crop(t, [crop, crop])
        t = F.normalize(t.float() / 255, mean, std)
        tensor_out.append(t.numpy().astype("<f4"))

    np.concatenate([a.ravel() for a in pil_out]).tofile(os.path.join(out, "pil.bin"))
    np.concatenate([a.ravel() for a in tensor_out]).tofile(os.path.join(out, "tensor.bin"))
    meta = {
        "classes": dataset.classes,
        "targets": [int(t) for t in dataset.targets],
        "paths": [os.path.relpath(p, root) for p, _ in dataset.samples],
        "shape": list(pil_out[0].shape),
    }
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump(meta, f)


def floats(text):
    return [float(v) for v in text.split(",")]


if __name__ == "__main__":
    torch.manual_seed(0)
    command = sys.argv[1]
    if command == "make":
        make(sys.argv[2])
    elif command == "read":
        root, out, resize, crop, mean, std, channels = sys.argv[2:9]
        read(root, out, int(resize), int(crop), floats(mean), floats(std), int(channels))
    else:
        sys.exit(f"unknown command {command}: use make or read")
