#!/usr/bin/python3
"""The README's "full scenario, on paper": what one checkpoint of inception_v3 at 299x299 costs a silo when probes run
at 21 taps over an ImageNet probe set of N images, and how many silos keep up with a training run that writes one
checkpoint an hour, from rates measured on this machine (bench 'inception', 'image-folder', examples/inception.sh).
Standard library only; every input is an option, so other measurements (another machine, a GPU) give their own table.

    python3 bench/full_scenario.py                      # the README's table, from this machine's measurements
    python3 bench/full_scenario.py --gpu-ratio R        # adds a GPU column: the forward and probe rates times R
    python3 bench/full_scenario.py --images 10000 --forward-images-per-s 12 --iterations 60

Per checkpoint, on one silo (seconds):
  decode      N * decode_cpu_s / cores                          (images decoded one per core)
  forward     N / forward_images_per_s                          (the bare forward pass over the probe set)
  extraction  forward * extraction_ratio                        (forward + taps + count sketch; replaces the forward)
  probes      sum over taps of iterations * evaluations * 4*n*(d+1)*K*C / kernel_flops      (the stacked heads' kernel)
                                + iterations * 4*d^2*K*C / preconditioner_flops                (the curvature preconditioner)
                                + 2*n*d^2 / gemm_flops + 10*d^3 / gemm_flops                   (its setup: X^T X and eigh)
              n = the probe set's training split, K = the L2 grid's 9 strengths (all kept: an upper bound, as the solver
              stops the strengths that cannot win), C = classes, d = the tap's width after the sketch (at most 2048)
  total       decode + extraction + probes; silos to keep up = total / 3600 s (one checkpoint an hour)
"""
import argparse
import math

# inception_v3's 21 default taps at 299x299 (probegrid layers inception_v3 --input 3x299x299 --classes 1000): every tap
# wider than the sketch is count-sketched to 2048 values; AuxLogits and fc have C values, avgpool 2048.
TAP_VALUES = {
    "Conv2d_1a_3x3": 710432, "Conv2d_2a_3x3": 691488, "Conv2d_2b_3x3": 1382976, "maxpool1": 341056,
    "Conv2d_3b_1x1": 426320, "Conv2d_4a_3x3": 967872, "maxpool2": 235200, "Mixed_5b": 313600, "Mixed_5c": 352800,
    "Mixed_5d": 352800, "Mixed_6a": 221952, "Mixed_6b": 221952, "Mixed_6c": 221952, "Mixed_6d": 221952,
    "Mixed_6e": 221952, "AuxLogits": None, "Mixed_7a": 81920, "Mixed_7b": 131072, "Mixed_7c": 131072,
    "avgpool": 2048, "fc": None,
}


def tap_widths(classes, sketch):
    return [min(sketch, classes if values is None else values) for values in TAP_VALUES.values()]


def per_checkpoint(a, images, gpu_ratio=1.0):
    """Seconds per checkpoint on one silo, by phase; gpu_ratio multiplies the forward and probe rates (not decoding)."""
    n = images * a.train_share
    decode = images * a.decode_cpu_s / a.cores
    forward = images / (a.forward_images_per_s * gpu_ratio)
    extraction = forward * a.extraction_ratio
    probes = 0.0
    for d in tap_widths(a.classes, a.sketch):
        kernel = a.iterations * a.evaluations * 4 * n * (d + 1) * a.heads * a.classes / (a.kernel_gflops * 1e9 * gpu_ratio)
        preconditioner = a.iterations * 4 * d * d * a.heads * a.classes / (a.preconditioner_gflops * 1e9 * gpu_ratio)
        setup = (2 * n * d * d + 10 * d ** 3) / (a.gemm_gflops * 1e9 * gpu_ratio)
        probes += kernel + preconditioner + setup
    return {"decode": decode, "forward": forward, "extraction": extraction, "probes": probes,
            "total": decode + extraction + probes}


def hours(seconds):
    return f"{seconds / 3600:,.2f} h" if seconds >= 360 else f"{seconds / 60:,.1f} min"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--images", type=int, nargs="+", default=[10000, 50000], help="probe-set sizes N")
    p.add_argument("--train-share", type=float, default=0.8, help="share of N in the probes' training split (the rest validates and tests)")
    p.add_argument("--classes", type=int, default=1000)
    p.add_argument("--sketch", type=int, default=2048, help="reduction maxDims (sparse-projection)")
    p.add_argument("--heads", type=int, default=9, help="L2 strengths stacked in the kernel (the default grid has 9)")
    p.add_argument("--iterations", type=float, default=100, help="L-BFGS iterations per tap (every head)")
    p.add_argument("--evaluations", type=float, default=1.1, help="kernel evaluations per iteration (line-search retries)")
    p.add_argument("--checkpoints", type=int, default=500)
    p.add_argument("--cores", type=int, default=2, help="cores of one silo (this VM: 2)")
    p.add_argument("--decode-cpu-s", type=float, required=True, help="CPU seconds to decode and transform one image")
    p.add_argument("--forward-images-per-s", type=float, required=True, help="bare forward images/s of one silo at 299x299")
    p.add_argument("--extraction-ratio", type=float, required=True, help="extraction time / bare forward time")
    p.add_argument("--kernel-gflops", type=float, required=True, help="probe kernel GFLOP/s at C classes, K heads, float64")
    p.add_argument("--preconditioner-gflops", type=float, required=True, help="preconditioner apply GFLOP/s")
    p.add_argument("--gemm-gflops", type=float, required=True, help="float64 GEMM GFLOP/s (the preconditioner's setup)")
    p.add_argument("--gpu-ratio", type=float, help="GPU:CPU silo throughput ratio for forward and probes (not measured here)")
    a = p.parse_args()

    columns = ["N", "decode", "forward", "extraction (incl. forward)", "probes (21 taps)", "silo-hours / checkpoint",
               "silos for 1 checkpoint / h", f"silo-hours for {a.checkpoints} checkpoints"]
    if a.gpu_ratio:
        columns += [f"GPU silo-hours / checkpoint (x{a.gpu_ratio:g})", "GPU silos for 1 checkpoint / h"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for images in a.images:
        c = per_checkpoint(a, images)
        row = [f"{images:,}", hours(c["decode"]), hours(c["forward"]), hours(c["extraction"]), hours(c["probes"]),
               f"{c['total'] / 3600:,.2f}", f"{math.ceil(c['total'] / 3600):,}", f"{a.checkpoints * c['total'] / 3600:,.0f}"]
        if a.gpu_ratio:
            g = per_checkpoint(a, images, a.gpu_ratio)
            row += [f"{g['total'] / 3600:,.2f}", f"{math.ceil(g['total'] / 3600):,}"]
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
