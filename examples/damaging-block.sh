#!/usr/bin/env bash
# The layerwise-information-discarding paper's "diagnosis of architectural flaws" (its Fig. 4a) at CPU scale:
# a CIFAR ResNet-8 (width 8) and the same network with a damaging block after layer2.0 (two 1x1 convs with
# ReLUs and no skip connection, N = 8 filters against the block's M = 16 channels) learn the same task, Fashion-MNIST
# items on a 40x40 textured canvas, from the same seed; the discarding analysis then measures both at the
# stem and after each stage. The paper's finding: the inserted block boosts information discarding.
# Results: out/damaging-block/ (each sweep's results and plots, and comparison.csv side by side).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap
dotnet build Cli -c Release --nologo -v quiet -clp:ErrorsOnly
run() { probegrid run "$@" || probegrid run "$@"; }
probegrid() { dotnet Cli/bin/Release/net10.0/probegrid.dll --state .probegrid-damaging "$@"; }

out=out/damaging-block
mkdir -p "$out"
for net in original damaged; do
  folder=runs/damaging-block/$net
  damage=()
  [ "$net" = damaged ] && damage=(--param damageAfter=layer2.0 --param damageWidth=8)
  if [ ! -f "$folder/step-0001200.pt" ]; then
    probegrid train --model resnet-cifar --param depth=8 --param width=8 "${damage[@]}" --dataset fashion-mnist-canvas \
      --dataset-param canvas=40 --dataset-param trainCount=6000 --dataset-param validationCount=1000 --dataset-param testCount=1000 \
      --steps 1200 --batch-size 64 --lr 1e-3 --checkpoint-every-steps 1200 --seed 1 --out "$folder"
  fi
  mkdir -p "$folder-last"
  cp "$folder/model.json" "$folder/step-0001200.pt" "$folder-last/"
  cat > "$out/$net.json" <<JSON
{
  "sweepId": "damaging-$net",
  "model": { "checkpoints": "$folder-last" },
  "dataset": { "name": "fashion-mnist-canvas", "parameters": { "canvas": 40, "trainCount": 6000, "validationCount": 1000, "testCount": 1000 }, "seed": 1 },
  "layers": ["stem", "layer1.0", "layer2.0", "layer3.0"],
  "analyses": [ { "kind": "discarding", "parameters": {
    "samples": 3, "shards": 3, "maps": 1, "stepsPerRound": 150, "maxRounds": 8, "noiseBatch": 8,
    "normalisingSamples": 512, "evaluationSamples": 512, "decoderSamples": 2000, "decoderEpochs": 4, "decoderWidth": 16 } } ]
}
JSON
  run "$out/$net.json" --out "$out/$net"
done
# Side by side: layer, metric, original, damaged.
join -t, <(awk -F, 'NR > 1 { print $3 "/" $6 "," $7 }' "$out/original/results.csv" | sort) \
         <(awk -F, 'NR > 1 { print $3 "/" $6 "," $7 }' "$out/damaged/results.csv" | sort) |
  awk -F, 'BEGIN { print "layer/metric,original,damaged" } { print }' > "$out/comparison.csv"
grep -E "sid.total,|ru.total,|sid.concentration,|ru.concentration," "$out/comparison.csv" | column -t -s,
