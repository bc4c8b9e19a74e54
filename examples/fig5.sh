#!/usr/bin/env bash
# Alain & Bengio (2016), Fig. 5 on Fashion-MNIST: train the TensorFlow MNIST convnet (checkpoints
# at step 0 and at the end), then probe every tap of both checkpoints at the optimum, the L2 strength
# picked on 10^4 validation images. About 15 minutes on 2 CPU cores. Results: out/fig5/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap
dotnet build Cli -c Release --nologo -v quiet -clp:ErrorsOnly
probegrid() { dotnet Cli/bin/Release/net10.0/probegrid.dll "$@"; }

probegrid train --model mnist-convnet --dataset fashion-mnist \
  --dataset-param trainCount=50000 --dataset-param validationCount=10000 --dataset-param testCount=10000 \
  --steps 2000 --batch-size 128 --checkpoint-every-steps 2000 --seed 5 --out runs/fig5
probegrid run examples/fig5.json --out out/fig5
