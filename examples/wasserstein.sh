#!/usr/bin/env bash
# Wasserstein layer analysis on Fashion-MNIST mosaics (2x2 cells, 1-4 items each, 14-pixel items on
# a 28x28 canvas): train resnet18-small (width 16) with the paper's SGD settings, a checkpoint every
# 500 steps, then analyse every tap of every checkpoint. Results: out/wasserstein/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap
dotnet build Cli -c Release --nologo -v quiet -clp:ErrorsOnly
probegrid() { dotnet Cli/bin/Release/net10.0/probegrid.dll "$@"; }

probegrid train --model resnet18-small --param width=16 --dataset fashion-mnist-mosaic \
  --dataset-param itemSize=14 --dataset-param trainCount=12000 --dataset-param validationCount=3000 --dataset-param testCount=3000 \
  --steps 3000 --batch-size 128 --optimizer sgd --lr 0.01 --momentum 0.9 --weight-decay 1e-4 \
  --checkpoint-every-steps 500 --seed 7 --out runs/wasserstein
probegrid run examples/wasserstein.json --out out/wasserstein
for metric in wdist.mean kl.mean js.mean chebyshev.mean ic.accuracy; do
  probegrid curves wasserstein --metric "$metric" --along checkpoint --format png --out "out/wasserstein/plots/$metric-vs-checkpoint.png"
done
