#!/bin/bash
# Runs bench/gpu/mirror.py over spec files in parallel (one process each: the model's kernels are small, so
# one process leaves the GPU mostly idle), on a lent GPU machine. Results: $OUT/res-<spec>.jsonl, logs beside.
#   bash bench/gpu/run.sh <data-dir> bench/gpu/sweep1-*.jsonl
set -u
data=$1; shift
out=${OUT:-.cache/gpu/out}
mkdir -p "$out"
nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null
python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())"
for f in "$@"; do
  b=$(basename "$f" .jsonl)
  python3 "$(dirname "$0")/mirror.py" "$data" "$f" "$out/res-$b.jsonl" > "$out/log-$b.txt" 2>&1 &
done
wait
