#!/usr/bin/env bash
# Training throughput of the default architecture on letter-shaped data (workload T4) beside the same TabM-style
# ensemble in PyTorch (eng/tabm_torch.py, Debian's python3-torch), at the same width, depth and members, in the same run,
# interleaved round by round so both see the same machine; prints each round and the median ratio.
#
# usage: eng/bench-t4.sh [rounds] [extra T4 arguments, e.g. --hidden 512,512,512 --ensemble 32]
#   The PyTorch side reads the width, depth, members and numeric embedding from T4's JSON line, so both always match.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
shift || true
dotnet build tests/MlNetDeep.Benchmarks -c Release -v quiet -nologo >&2
bench="dotnet tests/MlNetDeep.Benchmarks/bin/Release/net10.0/MlNetDeep.Benchmarks.dll"
ratios=()
for round in $(seq 1 "$rounds"); do
  ours=$($bench train --workload T4 --threads 2 "$@" 2>/dev/null | tail -1)
  hidden=$(echo "$ours" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["hidden"])')
  k=$(echo "$ours" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["ensemble"])')
  embedding=$(echo "$ours" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin).get("embedding", "None"))')
  theirs=$(/usr/bin/python3 eng/tabm_torch.py --hidden "$hidden" --k "$k" --embedding "$embedding" --threads 2 | tail -1)
  ratio=$(/usr/bin/python3 -c 'import json,sys; a=json.loads(sys.argv[1]); b=json.loads(sys.argv[2]); print(round(a["samples_per_second"]/b["samples_per_second"], 2))' "$ours" "$theirs")
  echo "round $round: ours $ours"
  echo "round $round: pytorch $theirs"
  echo "round $round: ratio $ratio"
  ratios+=("$ratio")
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print "median ratio (MlNetDeep / PyTorch):", a[int((NR+1)/2)]}'
