#!/usr/bin/env bash
# The feature-complexity paper's Exp. 1 (Task-n) at CPU scale: for n = 0, 2, 8, 26, 80 a target DNN
# (disentangler-net, order 13, width 1/8) learns with MSE to reproduce the [64, 7, 7] output of a
# random task DNN with n ReLU layers on Fashion-MNIST images (data set random-task); then the
# complexity analysis disentangles the target DNN's output into components of orders 1, 4, 7 and 10.
# The paper's finding: DNNs learned for more complex tasks encode more high-order components.
# Results: out/task-n/ (the spectra as PNG and CSV).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap
dotnet build Cli -c Release --nologo -v quiet -clp:ErrorsOnly
# A failed unit is retried by running the same spec again (finished units are kept).
run() { probegrid run "$@" || probegrid run "$@"; }
probegrid() { dotnet Cli/bin/Release/net10.0/probegrid.dll --state .probegrid-task-n "$@"; }

out=out/task-n
mkdir -p "$out/specs"
sweeps=()
for n in 0 2 8 26 80; do
  run="runs/task-n/task-$n"
  if [ ! -f "$run/step-0001500.pt" ]; then
    probegrid train --model disentangler-net --param order=13 --param width=0.125 --dataset random-task \
      --dataset-param n="$n" --dataset-param trainCount=5000 --dataset-param validationCount=1000 --dataset-param testCount=1000 \
      --steps 1500 --batch-size 64 --lr 1e-3 --checkpoint-every-steps 1500 --seed 1 --out "$run"
  fi
  cat > "$out/specs/task-$n.json" <<JSON
{
  "sweepId": "task-$n",
  "model": { "checkpoints": "$run/step-0001500.pt" },
  "dataset": { "name": "random-task", "parameters": { "n": $n, "trainCount": 5000, "validationCount": 1000, "testCount": 1000 }, "seed": 1 },
  "layers": ["output"],
  "analyses": [ { "kind": "complexity", "parameters": { "orders": "1,4,7,10", "fitSamples": 1000, "gameSamples": 500, "epochs": 20 } } ]
}
JSON
  run "$out/specs/task-$n.json" --out "$out/task-$n"
  sweeps+=(--sweep "task-$n")
done

probegrid spectrum "${sweeps[@]}" --format png --out "$out/significance.png"
probegrid spectrum "${sweeps[@]}" --format csv --out "$out/significance.csv"
