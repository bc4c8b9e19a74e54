#!/usr/bin/env bash
# The layerwise-information-discarding paper's "information discarding during learning" (its Fig. 5b) at
# CPU scale: a CIFAR ResNet-8 (width 8) learns to classify Fashion-MNIST items placed on a 40x40 textured
# canvas (data set fashion-mnist-canvas, whose object masks make the concentration exact); the
# discarding analysis then measures SID, RU and concentration at the stem and after each stage, at three
# checkpoints of that one training run. Results: out/discarding-training/ (curves, maps, results.csv).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap
dotnet build Cli -c Release --nologo -v quiet -clp:ErrorsOnly
# A failed unit is retried by running the same spec again (finished units are kept).
run() { probegrid run "$@" || probegrid run "$@"; }
probegrid() { dotnet Cli/bin/Release/net10.0/probegrid.dll --state .probegrid-discarding "$@"; }

out=out/discarding-training
data='"canvas": 40, "trainCount": 6000, "validationCount": 1000, "testCount": 1000'
train=runs/discarding/resnet8
if [ ! -f "$train/step-0001200.pt" ]; then
  probegrid train --model resnet-cifar --param depth=8 --param width=8 --dataset fashion-mnist-canvas \
    --dataset-param canvas=40 --dataset-param trainCount=6000 --dataset-param validationCount=1000 --dataset-param testCount=1000 \
    --steps 1200 --batch-size 64 --lr 1e-3 --checkpoint-every-steps 50 --seed 1 --out "$train"
fi
# Early, middle and late checkpoints of the run, in a folder of their own.
sweep=runs/discarding/resnet8-sweep
mkdir -p "$sweep"
cp "$train/model.json" "$train/step-0000050.pt" "$train/step-0000300.pt" "$train/step-0001200.pt" "$sweep/"

mkdir -p "$out"
cat > "$out/spec.json" <<JSON
{
  "sweepId": "discarding-training",
  "model": { "checkpoints": "$sweep" },
  "dataset": { "name": "fashion-mnist-canvas", "parameters": { $data }, "seed": 1 },
  "layers": ["stem", "layer1.0", "layer2.0", "layer3.0"],
  "analyses": [ { "kind": "discarding", "parameters": {
    "samples": 3, "shards": 3, "maps": 3, "stepsPerRound": 150, "maxRounds": 8, "noiseBatch": 8,
    "normalisingSamples": 512, "evaluationSamples": 512, "decoderSamples": 2000, "decoderEpochs": 4, "decoderWidth": 16 } } ]
}
JSON
run "$out/spec.json" --out "$out"
for metric in sid.total ru.total sid.concentration ru.concentration; do
  probegrid curves discarding-training --metric "$metric" --along layer --format png --out "$out/$metric-vs-layer.png"
  probegrid curves discarding-training --metric "$metric" --along layer --format csv --out "$out/$metric.csv"
done
