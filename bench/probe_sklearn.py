#!/usr/bin/python3
"""Peer for ProbeGrid's probes at the optimum: scikit-learn's LogisticRegression (Debian's python3-sklearn;
run with the system Python, /usr/bin/python3) on features exported by `probegrid activations export`, under
the same standardisation (the training split's mean and standard deviation, a constant column left at 0)
and the same objective: mean cross-entropy + (l2 / 2) * ||W||^2, bias unpenalised, i.e. C = 1 / (n * l2).
For each tap, every l2 of the grid is fitted and the one with the lowest validation loss is kept.

    /usr/bin/python3 bench/probe_sklearn.py EXPORT_FOLDER [--l2 1e-6,...] [--json out.json]

EXPORT_FOLDER holds train/, validation/ and test/, each with TAP.npy and labels.npy.
Prints one line per tap; --json writes the same rows for the side-by-side table in bench/README.md.
"""
import argparse
import json
import os
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

DEFAULT_GRID = [10.0 ** e for e in range(-6, 3)]


def load(folder, split, tap):
    x = np.load(os.path.join(folder, split, tap + ".npy")).astype(np.float64)
    y = np.load(os.path.join(folder, split, "labels.npy"))
    return x, y


def standardise(train, *others):
    mean = train.mean(axis=0)
    std = train.std(axis=0)
    std[std == 0] = 1.0
    return [(m - mean) / std for m in (train, *others)]


def mean_log_loss(model, x, y):
    p = model.predict_proba(x)
    return float(-np.mean(np.log(np.clip(p[np.arange(len(y)), np.searchsorted(model.classes_, y)], 1e-300, None))))


def objective(model, x, y, l2):
    return mean_log_loss(model, x, y) + 0.5 * l2 * float(np.sum(model.coef_ ** 2))


def fit_tap(folder, tap, grid):
    (xtr, ytr), (xva, yva), (xte, yte) = (load(folder, s, tap) for s in ("train", "validation", "test"))
    xtr, xva, xte = standardise(xtr, xva, xte)
    n = len(ytr)
    best = None
    started = time.perf_counter()
    for l2 in grid:
        model = LogisticRegression(C=1.0 / (n * l2), solver="lbfgs", tol=1e-10, max_iter=20000)
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            try:
                model.fit(xtr, ytr)
                converged = True
            except ConvergenceWarning:
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.fit(xtr, ytr)
                converged = False
        validation = mean_log_loss(model, xva, yva)
        if best is None or validation < best["validation_loss"] or (validation == best["validation_loss"] and l2 > best["l2"]):
            best = {"tap": tap, "l2": l2, "validation_loss": validation, "model": model, "converged": converged}
    model = best.pop("model")
    best.update({
        "objective": objective(model, xtr, ytr, best["l2"]),
        "train_error": float(np.mean(model.predict(xtr) != ytr)),
        "validation_error": float(np.mean(model.predict(xva) != yva)),
        "test_error": float(np.mean(model.predict(xte) != yte)),
        "iterations": int(np.max(model.n_iter_)),
        "seconds": time.perf_counter() - started,
    })
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--l2", default=",".join(repr(v) for v in DEFAULT_GRID), help="comma-separated L2 strengths")
    parser.add_argument("--json", help="also write the rows here")
    args = parser.parse_args()
    grid = [float(v) for v in args.l2.split(",")]
    taps = sorted(f[:-4] for f in os.listdir(os.path.join(args.folder, "train")) if f.endswith(".npy") and f not in ("labels.npy", "label_sets.npy"))
    rows = []
    for tap in taps:
        row = fit_tap(args.folder, tap, grid)
        rows.append(row)
        print(f"{tap:24s} l2={row['l2']:.0e} objective={row['objective']:.6f} test_error={row['test_error']:.4f} "
              f"converged={row['converged']} iterations={row['iterations']} {row['seconds']:.1f}s", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
