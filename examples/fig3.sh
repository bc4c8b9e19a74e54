#!/usr/bin/env bash
# Alain & Bengio (2016), Fig. 3: probes at every layer of an untrained 32-layer leaky-ReLU MLP on
# Gaussian data labelled sign(x·w), averaged over independent repeats. About 1 minute in all
# on 2 CPU cores. Results: out/fig3/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap
dotnet build Cli -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet Cli/bin/Release/net10.0/probegrid.dll run examples/fig3.json --out out/fig3
