#!/usr/bin/python3
"""One checkpoint's probe job as a researcher would write it in PyTorch (bench case `vs-pytorch`).

The mnist-convnet of Analysis/Zoo/MnistConvNet.cs as a torch.nn module, its weights from a safetensors copy of the
checkpoint, forward hooks on the same 10 taps, each tap count-sketched to the same width (the algorithm of
Analysis/Activations/CountSketch.cs; its own random draw), then per tap a multinomial logistic-regression probe on
standardised features, the L2 strength picked on validation loss from a grid, each strength fitted full-batch with
torch.optim.LBFGS (strong Wolfe) to a gradient tolerance. Reads FOLDER/model.safetensors and
FOLDER/{train,validation,test}_{inputs,labels}.npy (written by the bench); prints JSON (per-phase seconds, per-tap
results). Run with Debian's interpreter: /usr/bin/python3 bench/probe_torch.py FOLDER --width 512 --threads 2
"""
import argparse
import json
import sys
import time
import zlib

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

SPLITS = ("train", "validation", "test")
TAPS = ("input", "conv1_preact", "conv1_postact", "conv1_pooling", "conv2_preact", "conv2_postact",
        "conv2_pooling", "fc1_preact", "fc1_postact", "logits")


def read_safetensors(path):
    """The file's tensors by name: with the safetensors package if installed, else the format read directly
    (8-byte little-endian header length, a JSON header of dtype/shape/offsets, then the raw data)."""
    try:
        from safetensors.torch import load_file
        return load_file(path)
    except ImportError:
        pass
    dtypes = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "I64": np.int64, "I32": np.int32}
    with open(path, "rb") as f:
        header_size = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(header_size))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=dtypes[info["dtype"]]).reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


class MnistConvNet(nn.Module):
    """conv5x5 (same) -> ReLU -> maxpool 2 -> conv5x5 (same) -> ReLU -> maxpool 2 -> fc -> ReLU -> fc."""

    def __init__(self, channels, height, width, channels1, channels2, hidden, classes):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels1, kernel_size=5, padding=2)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(channels1, channels2, kernel_size=5, padding=2)
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(channels2 * (height // 4) * (width // 4), hidden)
        self.relu3 = nn.ReLU()
        self.fc2 = nn.Linear(hidden, classes)

    def forward(self, x):
        x = self.pool1(self.relu1(self.conv1(x)))
        x = self.pool2(self.relu2(self.conv2(x)))
        return self.fc2(self.relu3(self.fc1(torch.flatten(x, 1))))


class CountSketch:
    """Coordinate i added with sign s(i) to bucket h(i): one scatter-add into 2k buckets (positive, negative parts)."""

    def __init__(self, tap, dims, width, seed):
        generator = torch.Generator().manual_seed(seed * 1_000_003 + zlib.crc32(tap.encode()))
        buckets = torch.randint(0, width, (dims,), generator=generator)
        negative = torch.randint(0, 2, (dims,), generator=generator)
        self.index = buckets + width * negative
        self.width = width

    def __call__(self, flat):
        sums = torch.zeros(flat.shape[0], 2 * self.width, dtype=flat.dtype)
        sums.scatter_add_(1, self.index.expand(flat.shape[0], -1), flat)
        return sums[:, :self.width] - sums[:, self.width:]


def extract(model, inputs, taps, width, seed, batch_size, timers):
    """The taps' reduced features over `inputs`, batch by batch through forward hooks; the reduction's time is
    counted apart from the forward pass's."""
    features = {tap: [] for tap in taps}
    sketches = {}

    def keep(tap, activation):
        started = time.perf_counter()
        flat = activation.reshape(activation.shape[0], -1)
        if flat.shape[1] > width:
            if tap not in sketches:
                sketches[tap] = CountSketch(tap, flat.shape[1], width, seed)
            flat = sketches[tap](flat)
        features[tap].append(flat.clone())
        timers["reduction"] += time.perf_counter() - started

    modules = {"conv1_preact": model.conv1, "conv1_postact": model.relu1, "conv1_pooling": model.pool1,
               "conv2_preact": model.conv2, "conv2_postact": model.relu2, "conv2_pooling": model.pool2,
               "fc1_preact": model.fc1, "fc1_postact": model.relu3, "logits": model.fc2}
    handles = [model.conv1.register_forward_pre_hook(lambda m, args: keep("input", args[0]))] if "input" in taps else []
    handles += [m.register_forward_hook(lambda m, args, out, tap=tap: keep(tap, out)) for tap, m in modules.items() if tap in taps]
    try:
        with torch.no_grad():
            for start in range(0, inputs.shape[0], batch_size):
                model(inputs[start:start + batch_size])
    finally:
        for handle in handles:
            handle.remove()
    return {tap: torch.cat(chunks) for tap, chunks in features.items()}


def probe(train, validation, test, labels, classes, l2_grid, tolerance, max_iterations, dtype):
    """The probe of one tap: standardise with the training split's mean and population std, fit every L2
    strength (largest first, each warm-started from the last), keep the lowest validation loss."""
    mean = train.double().mean(0)
    scale = train.double().std(0, unbiased=False)
    scale[scale == 0] = 1
    x = {split: ((f.double() - mean) / scale).to(dtype) for split, f in zip(SPLITS, (train, validation, test))}
    weights = torch.zeros(x["train"].shape[1], classes, dtype=dtype, requires_grad=True)
    bias = torch.zeros(classes, dtype=dtype, requires_grad=True)
    best, iterations = None, 0
    for l2 in sorted(l2_grid, reverse=True):
        optimizer = torch.optim.LBFGS([weights, bias], lr=1, max_iter=max_iterations, history_size=10,
                                      tolerance_grad=tolerance, tolerance_change=1e-10, line_search_fn="strong_wolfe")

        def closure():
            optimizer.zero_grad()
            loss = F.cross_entropy(x["train"] @ weights + bias, labels["train"]) + 0.5 * l2 * weights.pow(2).sum()
            loss.backward()
            return loss

        optimizer.step(closure)
        iterations += optimizer.state[optimizer._params[0]]["n_iter"]
        with torch.no_grad():
            validation_loss = F.cross_entropy(x["validation"] @ weights + bias, labels["validation"]).item()
            # Ties (within 1e-9) go to the larger strength, as in ProbeGrid's solver.
            if best is None or validation_loss < best[1] - 1e-9 * max(abs(best[1]), 1):
                test_error = ((x["test"] @ weights + bias).argmax(1) != labels["test"]).double().mean().item()
                best = (l2, validation_loss, test_error)
    return {"l2": best[0], "validation_loss": best[1], "test_error": best[2], "iterations": iterations, "dims": train.shape[1]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--taps", default=",".join(TAPS), help="the taps to probe, comma-separated")
    parser.add_argument("--width", type=int, default=512, help="count-sketch width (taps no wider are kept whole)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--sample-shape", default="1,28,28")
    parser.add_argument("--l2-grid", default=",".join(f"1e{e}" for e in range(-6, 3)))
    parser.add_argument("--tolerance", type=float, default=1e-5, help="largest gradient entry at which L-BFGS stops")
    parser.add_argument("--max-iterations", type=int, default=2000)
    parser.add_argument("--dtype", choices=("float64", "float32"), default="float64")
    parser.add_argument("--json", help="also write the result here")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    shape = [int(v) for v in args.sample_shape.split(",")]
    timers = {"load": 0.0, "forward_hooks": 0.0, "reduction": 0.0, "probes": 0.0}

    started = time.perf_counter()
    state = read_safetensors(f"{args.folder}/model.safetensors")
    model = MnistConvNet(shape[0], shape[1], shape[2], state["conv1.weight"].shape[0], state["conv2.weight"].shape[0],
                         state["fc1.weight"].shape[0], state["fc2.weight"].shape[0])
    model.load_state_dict(state)
    model.eval()
    inputs = {s: torch.from_numpy(np.load(f"{args.folder}/{s}_inputs.npy")).reshape(-1, *shape) for s in SPLITS}
    labels = {s: torch.from_numpy(np.load(f"{args.folder}/{s}_labels.npy")).long() for s in SPLITS}
    timers["load"] = time.perf_counter() - started

    started = time.perf_counter()
    wanted = [tap for tap in TAPS if tap in args.taps.split(",")]
    features = {s: extract(model, inputs[s], wanted, args.width, args.seed, args.batch_size, timers) for s in SPLITS}
    timers["forward_hooks"] = time.perf_counter() - started - timers["reduction"]

    started = time.perf_counter()
    classes = model.fc2.out_features
    dtype = torch.float64 if args.dtype == "float64" else torch.float32
    grid = [float(v) for v in args.l2_grid.split(",")]
    taps = []
    for tap in wanted:
        result = probe(features["train"][tap], features["validation"][tap], features["test"][tap], labels, classes,
                       grid, args.tolerance, args.max_iterations, dtype)
        taps.append({"tap": tap, **result})
    timers["probes"] = time.perf_counter() - started

    report = {"torch": torch.__version__, "threads": torch.get_num_threads(), "seconds": timers,
              "total_seconds": sum(timers.values()), "taps": taps}
    text = json.dumps(report, indent=1)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text)
    print(text)


if __name__ == "__main__":
    sys.exit(main())
