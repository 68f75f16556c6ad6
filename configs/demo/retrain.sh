#!/bin/sh
# Retrains the two tiny models that `./ukiyoe demo` ships with (cli/src/main/resources/io/ukiyoe/demo/),
# from the repository root, with the configs next to this script. About an hour on 2 CPU cores.
set -e
cd "$(dirname "$0")/../.."
DEMO=cli/src/main/resources/io/ukiyoe/demo
./ukiyoe data synth --domain photo --n 2000 --size 32 --seed 11 --out target/demo-data/photo-32
./ukiyoe data synth --domain ukiyoe --n 2000 --size 32 --seed 12 --out target/demo-data/ukiyoe-32
./ukiyoe train configs/demo/base-photo.yaml --run-dir target/demo-runs/base
cp target/demo-runs/base/model.safetensors "$DEMO/base-photo-32.safetensors"
./ukiyoe train configs/demo/target-ukiyoe.yaml --run-dir target/demo-runs/target
cp target/demo-runs/target/model.safetensors "$DEMO/target-ukiyoe-32.safetensors"
