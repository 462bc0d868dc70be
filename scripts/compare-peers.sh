#!/usr/bin/env bash
# Training throughput of cllm-lab against the reference peers, alternating them in one sitting:
# PyTorch's libtorch through DJL (always), and Debian's PyTorch (with --python). Each pair runs the peer
# and `./lab train` on the same shape, threads (workers), warm-up and measured steps; the order inside a
# pair alternates (peer first, then cllm-lab first, ...) so that a drift of the machine's speed cancels.
# Prints every pair's tokens/s and ratio, then the medians, the ratio of the medians and the median of the
# pair ratios.
#
#   scripts/compare-peers.sh --preset seed --threads 1 --pairs 3
#   scripts/compare-peers.sh --preset seed --threads 2 --steps 5 --warmup 2 --strategy lockfree.core-slots
#
# Options: --preset NAME (seed), --threads N (1), --steps N (5), --warmup N (2), --pairs K (3),
#   --strategy NAME (lockfree.core-slots), --python (also run torch_peer.py in each pair),
#   --peers DIR (the peers' folder; default ../shared/peers beside the project, else /work/shared/peers).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
preset=seed threads=1 steps=5 warmup=2 pairs=3 strategy=lockfree.core-slots python=0 peers=""
while [ $# -gt 0 ]; do
  case "$1" in
    --preset) preset=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --pairs) pairs=$2; shift 2 ;;
    --strategy) strategy=$2; shift 2 ;;
    --python) python=1; shift ;;
    --peers) peers=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare-peers: unknown option '$1'; see --help" >&2; exit 2 ;;
  esac
done
for v in threads steps warmup pairs; do
  case "${!v}" in ''|*[!0-9]*) echo "compare-peers: --$v: '${!v}' is not a whole number" >&2; exit 2 ;; esac
done
if [ -z "$peers" ]; then
  for d in "$ROOT/../shared/peers" /work/shared/peers; do
    if [ -x "$d/djl/run.sh" ]; then peers=$(cd "$d" && pwd); break; fi
  done
fi
if [ -z "$peers" ] || [ ! -x "$peers/djl/run.sh" ]; then
  echo "compare-peers: no peers folder with djl/run.sh found (looked in ../shared/peers and /work/shared/peers); pass --peers DIR" >&2
  exit 2
fi
py=/usr/bin/python3
if [ "$python" = 1 ] && ! "$py" -c 'import torch' 2>/dev/null; then
  echo "compare-peers: --python needs Debian's PyTorch ($py -c 'import torch' failed); install it with" >&2
  echo "  apt-get install -y python3-torch libopenblas0-pthread" >&2
  exit 2
fi

log=$(mktemp -d "${TMPDIR:-/tmp}/compare-peers.XXXXXX")
# Build both before the first pair, so that no pair times a build.
"$ROOT/lab" build >"$log/build.log" 2>&1 || { cat "$log/build.log" >&2; exit 4; }

# Prints the number after "key": in a JSON text on stdin (the first one).
field() { grep -o "\"$1\": *[-0-9.eE+]*" | head -1 | sed 's/.*: *//'; }

run_djl() {
  "$peers/djl/run.sh" --preset "$preset" --threads "$threads" --steps "$steps" --warmup "$warmup" \
    >"$log/djl-$1.json" 2>"$log/djl-$1.err" || { cat "$log/djl-$1.err" >&2; exit 1; }
  field tokens_per_s_median <"$log/djl-$1.json"
}
run_lab() {
  "$ROOT/lab" train --preset "$preset" --workers "$threads" --strategy "$strategy" --warmup "$warmup" \
    --steps "$steps" --no-progress --json >"$log/lab-$1.json" 2>"$log/lab-$1.err" \
    || { cat "$log/lab-$1.err" >&2; exit 1; }
  field tokensPerSecond <"$log/lab-$1.json"
}
run_py() {
  OPENBLAS_NUM_THREADS=1 "$py" "$peers/torch_peer.py" --preset "$preset" --threads "$threads" --steps "$steps" \
    --warmup "$warmup" >"$log/py-$1.json" 2>"$log/py-$1.err" || { cat "$log/py-$1.err" >&2; exit 1; }
  field tokens_per_s_median <"$log/py-$1.json"
}

echo "preset $preset, $threads thread(s)/worker(s), warm-up $warmup, $steps measured steps, $pairs pairs; cllm-lab strategy $strategy"
echo "logs in $log"
djl=() lab=() pyt=()
for ((i = 1; i <= pairs; i++)); do
  if (( i % 2 == 1 )); then
    d=$(run_djl "$i"); l=$(run_lab "$i"); order="djl first"
  else
    l=$(run_lab "$i"); d=$(run_djl "$i"); order="cllm-lab first"
  fi
  djl+=("$d") lab+=("$l")
  line=$(awk -v d="$d" -v l="$l" -v i="$i" -v o="$order" \
    'BEGIN { printf "pair %d (%s): libtorch (DJL) %8.1f tok/s   cllm-lab %8.1f tok/s   cllm-lab/libtorch %.3f", i, o, d, l, l / d }')
  if [ "$python" = 1 ]; then
    p=$(run_py "$i"); pyt+=("$p")
    line="$line$(awk -v p="$p" -v l="$l" 'BEGIN { printf "   PyTorch (Debian) %8.1f tok/s   cllm-lab/PyTorch %.3f", p, l / p }')"
  fi
  echo "$line"
done

median() { printf '%s\n' "$@" | sort -g | awk '{ x[NR] = $1 } END { print (NR % 2 ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2) }'; }
ratios=()
for ((i = 0; i < pairs; i++)); do ratios+=("$(awk -v d="${djl[$i]}" -v l="${lab[$i]}" 'BEGIN { print l / d }')"); done
md=$(median "${djl[@]}") ml=$(median "${lab[@]}") mr=$(median "${ratios[@]}")
awk -v d="$md" -v l="$ml" -v r="$mr" 'BEGIN { printf "median: libtorch (DJL) %.1f tok/s, cllm-lab %.1f tok/s; ratio of medians %.3f; median of pair ratios %.3f\n", d, l, l / d, r }'
if [ "$python" = 1 ]; then
  mp=$(median "${pyt[@]}")
  awk -v p="$mp" -v l="$ml" 'BEGIN { printf "median: PyTorch (Debian) %.1f tok/s; cllm-lab / PyTorch, ratio of medians %.3f\n", p, l / p }'
fi
