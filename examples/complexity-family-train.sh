#!/usr/bin/env bash
# Trains the networks of the complexity family example (examples/complexity-family.sh runs this
# first): CIFAR ResNet-8/14/20 (width 8: half the paper's channels, to fit a CPU) on Fashion-MNIST subsets of 200, 500, 2,000 and 5,000
# images, a different seed each, plus two exemplary ResNet-20s on 10,000 images (the reliability
# peers). Only the final checkpoint is written. A finished folder is left as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
probegrid() { dotnet Cli/bin/Release/net10.0/probegrid.dll "$@"; }
runs=runs/complexity-family
steps=800

train() { # name depth trainCount seed
  local out="$runs/$1"
  if [ -f "$out/step-$(printf '%07d' "$steps").pt" ]; then return; fi
  probegrid train --model resnet-cifar --param depth="$2" --param width=8 --dataset fashion-mnist \
    --dataset-param trainCount="$3" --dataset-param validationCount=1000 --dataset-param testCount=2000 \
    --steps "$steps" --batch-size 64 --optimizer sgd --lr 0.05 --momentum 0.9 --weight-decay 5e-4 \
    --checkpoint-every-steps "$steps" --seed "$4" --out "$out"
}

train peer-a 20 10000 101
train peer-b 20 10000 102
seed=1
for depth in 8 14 20; do
  for count in 200 500 2000 5000; do
    train "resnet$depth-n$count" "$depth" "$count" "$seed"
    seed=$((seed + 1))
  done
done
