#!/bin/sh
# Retrains the two tiny models that `./ukiyoe demo` ships with (cli/src/main/resources/io/ukiyoe/demo/),
# from the repository root, with the configs next to this script. About an hour on a 2-core machine.
set -e
# models this small train about as fast on one OpenMP thread as on two (0.4-0.5 s per step of the base here
# either way), and the other core stays free
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
cd "$(dirname "$0")/../.."
DEMO=cli/src/main/resources/io/ukiyoe/demo
./ukiyoe data synth --domain photo --n 2000 --size 32 --seed 11 --out target/demo-data/photo-32
./ukiyoe data synth --domain ukiyoe --n 2000 --size 32 --seed 12 --out target/demo-data/ukiyoe-32
./ukiyoe train configs/demo/base-photo.yaml --run-dir target/demo-runs/base
cp target/demo-runs/base/model.safetensors "$DEMO/base-photo-32.safetensors"
./ukiyoe train configs/demo/target-ukiyoe.yaml --run-dir target/demo-runs/target
cp target/demo-runs/target/model.safetensors "$DEMO/target-ukiyoe-32.safetensors"
# the student of the last demo step: pairs from the base and its swap-at-8-px blend, then distill train
./ukiyoe blend --base "$DEMO/base-photo-32.safetensors" --target "$DEMO/target-ukiyoe-32.safetensors" \
    --schedule swap --resolution 8 --out target/demo-runs/blend-swap8.safetensors --force
./ukiyoe distill pairs configs/demo/student-pairs.yaml
./ukiyoe distill train configs/demo/student.yaml --run-dir target/demo-runs/student
cp target/demo-runs/student/student.safetensors "$DEMO/student-32.safetensors"
