#!/usr/bin/env bash
# The Inception scenario at CPU scale: write a Fashion-MNIST image folder at 299x299 (10 classes: 120 training, 10
# validation and 15 test images each), train torchvision's inception_v3 on it from scratch with its AuxLogits head
# (200 Adam steps of 8, a checkpoint every 25 steps: 9 checkpoints with the untrained step 0), then, over every
# checkpoint, linear probes at the 21 default taps (examples/inception.json), the Wasserstein layer analysis
# (inception-wasserstein.json) and linear CKA (inception-cka.json), and plot them. The network runs once per
# checkpoint: the second and third sweeps read the activations the first one cached.
# Results: out/inception/ (results.csv and plots/ of each sweep; timings.csv, the seconds per checkpoint that the
# grid logged). Run again, it reuses what exists (the image folder, the checkpoints, the finished units).
#
#   examples/inception.sh           # 2 h 25 min on 2 cores shared with other jobs (load 16-29)
#   examples/inception.sh --quick   # 60 steps, 4 checkpoints, 200 probe images: runs/inception-quick, out/inception-quick
set -euo pipefail
cd "$(dirname "$0")/.."
quick=false
case "${1:-}" in
  --quick) quick=true ;;
  "") ;;
  *) echo "usage: examples/inception.sh [--quick]" >&2; exit 2 ;;
esac
scripts/bootstrap
dotnet build Cli -c Release --nologo -v quiet -clp:ErrorsOnly
probegrid() { dotnet Cli/bin/Release/net10.0/probegrid.dll "$@"; }

images=runs/inception-images
if $quick; then
  name=inception-quick steps=60 every=20 counts=(100 50 50)
else
  name=inception steps=200 every=25 counts=(250 100 150)
fi
runs=runs/$name out=out/$name
mkdir -p "$out/specs"

# The image folder is written once; `probegrid data` refuses a folder that is not empty.
if [ ! -d "$images" ]; then
  probegrid data image-folder --out "$images" --size 299 --splits train=120,val=10,test=15 --format jpeg
fi

# Interrupted, or run again, training continues from its last checkpoint (or only reports the validation accuracy).
probegrid train --model inception_v3 --dataset image-folder \
  --dataset-param root=$images --dataset-param train=train --dataset-param validation=val --dataset-param test=test \
  --dataset-param trainCount=1200 --dataset-param validationCount=100 --dataset-param testCount=150 \
  --dataset-param crop=299 --dataset-param normalize=imagenet \
  --steps $steps --batch-size 8 --optimizer adam --lr 1e-3 --checkpoint-every-steps $every --seed 1 --out "$runs"

# The specs as they are, or (--quick) with the quick run's checkpoints, sweep ids and probe-set sizes.
for spec in inception inception-wasserstein inception-cka; do
  sed -e "s|\"runs/inception\"|\"$runs\"|" -e "s|\"sweepId\": \"inception|\"sweepId\": \"$name|" \
      -e "s|\"trainCount\": 250, \"validationCount\": 100, \"testCount\": 150|\"trainCount\": ${counts[0]}, \"validationCount\": ${counts[1]}, \"testCount\": ${counts[2]}|" \
      -e "s|\"samples\": 150|\"samples\": ${counts[2]}|" \
      "examples/$spec.json" > "$out/specs/${spec/inception/$name}.json"
done
probegrid run "$out/specs/$name.json" --out "$out/probes"
probegrid run "$out/specs/$name-wasserstein.json" --out "$out/wasserstein"
probegrid run "$out/specs/$name-cka.json" --out "$out/cka"
probegrid status

# The grid logs each checkpoint's job with its seconds: the probe job's include the extraction (the network's forward
# pass over the probe set, every tap count-sketched into the activation cache); the other two read the cache.
logs=${PROBEGRID_STATE:-.probegrid}/logs
{
  echo "sweep,checkpoint,job,seconds"
  cat "$logs"/probegrid-*.log 2>/dev/null |
    sed -nE "s/.* Sweep ($name(-wasserstein|-cka)?) checkpoint ([^ ]+) repeat [0-9]+: ([0-9]+ probes|Wasserstein analysis of [0-9]+ layers|CKA of [0-9]+ layers) in ([0-9.]+)s .*/\1,\3,\4,\5/p" |
    awk -F, '{ last[$1 "," $2 "," $3] = $4; if (!seen[$1 "," $2 "," $3]++) order[++n] = $1 "," $2 "," $3 }
             END { for (i = 1; i <= n; i++) print order[i] "," last[order[i]] }'
} > "$out/timings.csv"
column -s, -t "$out/timings.csv"
echo "$name: results and plots in $out/{probes,wasserstein,cka}/, seconds per checkpoint in $out/timings.csv"
