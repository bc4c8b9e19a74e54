#!/usr/bin/env bash
# The feature-complexity paper's Exp. 2 and Exp. 6 at CPU scale: CIFAR ResNet-8/14/20 (width 8)
# trained on Fashion-MNIST subsets of 200 to 5,000 images (examples/complexity-family-train.sh), each
# analysed at its last block before the final ReLU (layer3.out_preact) with disentanglers of orders
# 1, 4, 7, 10 and two exemplary ResNet-20 peers for reliability; then the spectra and the linear
# regressor from the 8-d vector (significance and reliability at 4 orders) to the test loss, with
# cross-validation. Results: out/complexity-family/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap
dotnet build Cli -c Release --nologo -v quiet -clp:ErrorsOnly
# A failed unit is retried by running the same spec again (finished units are kept).
run() { probegrid run "$@" || probegrid run "$@"; }
probegrid() { dotnet Cli/bin/Release/net10.0/probegrid.dll --state .probegrid-complexity "$@"; }
examples/complexity-family-train.sh

runs=runs/complexity-family
out=out/complexity-family
mkdir -p "$out/specs"
last=step-0000800.pt
sweeps=()
seed=1
for depth in 8 14 20; do
  for count in 200 500 2000 5000; do
    name="resnet$depth-n$count"
    # The data spec repeats the training run's (counts and seed), so the game's training samples are the network's own.
    cat > "$out/specs/$name.json" <<JSON
{
  "sweepId": "family-$name",
  "model": { "checkpoints": "$runs/$name/$last" },
  "dataset": { "name": "fashion-mnist", "parameters": { "trainCount": $count, "validationCount": 1000, "testCount": 2000 }, "seed": $seed },
  "layers": ["layer3.out_preact"],
  "analyses": [ { "kind": "complexity", "parameters": {
    "orders": "1,4,7,10", "fitSamples": 1000, "gameSamples": 500, "epochs": 20,
    "peers": "$runs/peer-a/$last,$runs/peer-b/$last" } } ]
}
JSON
    run "$out/specs/$name.json" --out "$out/$name"
    sweeps+=(--sweep "family-$name")
    seed=$((seed + 1))
  done
done

probegrid spectrum "${sweeps[@]}" --format png --out "$out/significance.png"
probegrid spectrum "${sweeps[@]}" --metric complexity.reliability --format png --out "$out/reliability.png"
probegrid spectrum "${sweeps[@]}" --format csv --out "$out/significance.csv"
probegrid spectrum "${sweeps[@]}" --metric complexity.reliability --format csv --out "$out/reliability.csv"
probegrid regress "${sweeps[@]}" --layer layer3.out_preact --target complexity.loss_test --ridge 1 --out "$out/regression"
