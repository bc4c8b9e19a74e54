#!/usr/bin/env bash
# The layerwise-information-discarding paper's coherency check: the MNIST convnet (32/64 channels) learns
# Fashion-MNIST items on a 32x32 textured canvas; `probegrid rescale` writes a copy of its last checkpoint
# with conv1's weights and bias divided by 4 and conv2's weights multiplied by 4 (the same function);
# the discarding analysis then measures both networks at conv1, conv2 and fc1. SID, RU and concentration
# must agree layer by layer; the gradient-saliency baseline at conv1 drops to a quarter.
# Results: out/coherency/ (results of both sweeps, and comparison.csv side by side).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap
dotnet build Cli -c Release --nologo -v quiet -clp:ErrorsOnly
run() { probegrid run "$@" || probegrid run "$@"; }
probegrid() { dotnet Cli/bin/Release/net10.0/probegrid.dll --state .probegrid-coherency "$@"; }

out=out/coherency
train=runs/coherency/convnet
if [ ! -f "$train/step-0000600.pt" ]; then
  probegrid train --model mnist-convnet --dataset fashion-mnist-canvas \
    --dataset-param canvas=32 --dataset-param trainCount=6000 --dataset-param validationCount=1000 --dataset-param testCount=1000 \
    --steps 600 --batch-size 64 --lr 1e-3 --checkpoint-every-steps 600 --seed 1 --out "$train"
fi
mkdir -p runs/coherency/original
cp "$train/model.json" "$train/step-0000600.pt" runs/coherency/original/
probegrid rescale --checkpoint runs/coherency/original/step-0000600.pt --layer conv1 --next conv2 --factor 4 \
  --out runs/coherency/rescaled/step-0000600.pt

mkdir -p "$out"
for net in original rescaled; do
  cat > "$out/$net.json" <<JSON
{
  "sweepId": "coherency-$net",
  "model": { "checkpoints": "runs/coherency/$net" },
  "dataset": { "name": "fashion-mnist-canvas", "parameters": { "canvas": 32, "trainCount": 6000, "validationCount": 1000, "testCount": 1000 }, "seed": 1 },
  "layers": ["conv1_postact", "conv2_postact", "fc1_postact"],
  "analyses": [ { "kind": "discarding", "parameters": {
    "samples": 3, "shards": 3, "maps": 1, "stepsPerRound": 150, "maxRounds": 8, "noiseBatch": 8,
    "normalisingSamples": 512, "evaluationSamples": 512, "decoderSamples": 2000, "decoderEpochs": 4, "decoderWidth": 16 } } ]
}
JSON
  run "$out/$net.json" --out "$out/$net"
done
# Side by side: layer, metric, original, rescaled, rescaled / original.
join -t, <(awk -F, 'NR > 1 { print $3 "/" $6 "," $7 }' "$out/original/results.csv" | sort) \
         <(awk -F, 'NR > 1 { print $3 "/" $6 "," $7 }' "$out/rescaled/results.csv" | sort) |
  awk -F, 'BEGIN { print "layer/metric,original,rescaled,ratio" } { printf "%s,%s,%s,%.6g\n", $1, $2, $3, ($2 != 0 ? $3 / $2 : 1) }' > "$out/comparison.csv"
grep -E "sid.total,|ru.total,|sid.concentration,|ru.concentration,|saliency.mean" "$out/comparison.csv" | column -t -s,
