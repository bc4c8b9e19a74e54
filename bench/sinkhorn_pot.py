#!/usr/bin/python3
"""Peer comparison for the `sinkhorn` benchmark: POT's log-domain Sinkhorn (ot.sinkhorn2 with
method="sinkhorn_log") on exactly the problems SinkhornBenchmark solves (SinkhornProblems.cs:
the same SplitMix64 draws), one pair per call, as POT solves pairs with different source
distributions. Debian's python3-pot; run with the system Python: /usr/bin/python3 bench/sinkhorn_pot.py

POT stops on the L2 norm of the column-marginal error (checked every 10 iterations, from the
first), ProbeGrid on the L1 norm; both get the same threshold, so POT's test is slightly looser.
"""
import argparse
import math
import time
import warnings

import numpy as np
import ot

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def uniform(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        z ^= z >> 31
        return (z >> 11) * (1.0 / (1 << 53))


def problems(pairs, k):
    """Row-major (a, b) as SinkhornProblems.Generate(pairs, k) makes them."""
    random = SplitMix64(k)
    predictions = np.zeros((pairs, k), dtype=np.float32)
    targets = np.zeros((pairs, k), dtype=np.float32)
    for p in range(pairs):
        labels = min(k, 1 + int(3 * random.uniform()))
        chosen = 0
        while chosen < labels:
            label = int(random.uniform() * k)
            if targets[p, label] == 1:
                continue
            targets[p, label] = 1
            chosen += 1
        sharpness = 1 + 5 * random.uniform()
        for c in range(k):
            logit = sharpness * (2 * random.uniform() - 1 + (0.8 if targets[p, c] == 1 else -0.8))
            predictions[p, c] = np.float32(1 / (1 + math.exp(-logit)))
    a = predictions.astype(np.float64)
    b = targets.astype(np.float64)
    return a / a.sum(1, keepdims=True), b / b.sum(1, keepdims=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=256, help="pairs per K (the first ones of the C# benchmark's; default 256, its one-pair-per-call count)")
    parser.add_argument("--labels", type=int, nargs="+", default=[10, 20, 40, 80])
    parser.add_argument("--epsilon", type=float, default=0.01)
    parser.add_argument("--tolerance", type=float, default=1e-6)
    parser.add_argument("--max-iterations", type=int, default=10_000)
    args = parser.parse_args()

    print(f"POT {ot.__version__}, numpy {np.__version__}; ot.sinkhorn2(method='sinkhorn_log'), reg {args.epsilon}, "
          f"stopThr {args.tolerance:g} (L2), numItermax {args.max_iterations}; one pair per call")
    print(f"{'K':>3}  {'pairs':>5}  {'seconds':>8}  {'pairs/s':>8}  {'us/pair':>8}  {'iter mean':>9}  {'iter max':>8}  {'not conv.':>9}  {'mean W':>8}")
    for k in args.labels:
        a, b = problems(args.pairs, k)
        cost = 1.0 - np.eye(k)
        costs, iterations = [], []
        with warnings.catch_warnings(), np.errstate(divide="ignore"):
            warnings.simplefilter("ignore")  # log(0) of absent labels, and POT's own "did not converge"
            started = time.perf_counter()
            for p in range(args.pairs):
                w, log = ot.sinkhorn2(a[p], b[p], cost, args.epsilon, method="sinkhorn_log",
                                      numItermax=args.max_iterations, stopThr=args.tolerance, log=True)
                costs.append(float(w))
                iterations.append(log["niter"] + 1)
            seconds = time.perf_counter() - started
        not_converged = sum(1 for n in iterations if n >= args.max_iterations)
        print(f"{k:>3}  {args.pairs:>5}  {seconds:>8.3f}  {args.pairs / seconds:>8.1f}  {1e6 * seconds / args.pairs:>8.0f}  "
              f"{np.mean(iterations):>9.1f}  {max(iterations):>8}  {not_converged:>9}  {np.mean(costs):>8.5f}")


if __name__ == "__main__":
    main()
