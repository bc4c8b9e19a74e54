#!/usr/bin/python3
"""Reads a sweep's curve from `probegrid serve` into a table, with nothing but Python's standard library.

    /usr/bin/python3 examples/curve_table.py http://127.0.0.1:5180 SWEEP probe.test_error [--along layer|checkpoint] [--token-file .probegrid/api-token]

It asks GET /api/sweeps/SWEEP/curves?metric=...&format=csv (the long CSV `probegrid curves` prints: checkpoint, step,
layer, layer_index, repeat, metric, value), reads it with csv.DictReader, and pivots it into one row per checkpoint and
one column per layer (the mean over repeats), printed as CSV. In a notebook, import read_curve and table instead; with
pandas, pandas.DataFrame(read_curve(...)).pivot_table(index="step", columns="layer_index", values="value") does the same.
Reads need no token on loopback; off loopback give --token-file (or PROBEGRID_TOKEN).
"""
import argparse
import csv
import io
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


def read_curve(base_url, sweep, metric, token=None, layers=(), checkpoints=()):
    """The metric's values as a list of dicts (one per checkpoint, layer and repeat), numbers converted."""
    query = [("metric", metric), ("format", "csv")] + [("layer", l) for l in layers] + [("checkpoint", c) for c in checkpoints]
    url = f"{base_url.rstrip('/')}/api/sweeps/{urllib.parse.quote(sweep, safe='')}/curves?{urllib.parse.urlencode(query)}"
    headers = {"Accept": "text/csv"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        rows = list(csv.DictReader(io.TextIOWrapper(response, encoding="utf-8")))
    for row in rows:
        row["step"], row["layer_index"], row["repeat"] = int(row["step"]), int(row["layer_index"]), int(row["repeat"])
        row["value"] = float(row["value"])
    return rows


def table(rows, along="layer"):
    """One row per checkpoint (along layers: a frame of the video) or per layer, one column per layer or checkpoint: means over repeats."""
    row_key, column_key = (("step", "checkpoint"), ("layer_index", "layer")) if along == "layer" else (("layer_index", "layer"), ("step", "checkpoint"))
    columns = sorted({(r[column_key[0]], r[column_key[1]]) for r in rows})
    cells = {}
    for r in rows:
        cells.setdefault((r[row_key[0]], r[row_key[1]]), {}).setdefault(r[column_key[1]], []).append(r["value"])
    header = [row_key[1], row_key[0]] + [name for _, name in columns]
    body = [[name, order] + [sum(v) / len(v) if (v := cells[(order, name)].get(c)) else None for _, c in columns]
            for (order, name) in sorted(cells)]
    return header, body


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("sweep")
    parser.add_argument("metric")
    parser.add_argument("--along", choices=["layer", "checkpoint"], default="layer")
    parser.add_argument("--token-file", help="the state folder's api-token (needed off loopback)")
    args = parser.parse_args()
    token = os.environ.get("PROBEGRID_TOKEN")
    if args.token_file:
        with open(args.token_file, encoding="utf-8") as f:
            token = f.read().strip()
    try:
        rows = read_curve(args.url, args.sweep, args.metric, token)
    except urllib.error.HTTPError as e:
        # The API answers errors with problem details: the cause and the fix, every problem listed.
        problem = json.loads(e.read().decode("utf-8") or "{}")
        print(f"{e.code} {problem.get('title', e.reason)}: {problem.get('detail', '')}", file=sys.stderr)
        for p in problem.get("problems", []):
            print(f"  - {p}", file=sys.stderr)
        return 1
    header, body = table(rows, args.along)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[repr(c) if isinstance(c, float) else c for c in row] for row in body])
    return 0


if __name__ == "__main__":
    sys.exit(main())
