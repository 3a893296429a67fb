#!/bin/bash
# Times `dlp sweep` of two builds interleaved in one script (ROUNDS rounds, the order alternating per round) and
# prints the medians of the time each sweep reports and of the whole process, with the ratio old/new.
# Usage: bench/interleave_sweep.sh OLD_DLP NEW_DLP [ROUNDS] [CASE...]   (a CASE is the sweep's options in one string)
# The paths are of Release builds, which the README's two commands do not make (they build Debug): build each checkout
# first with `dotnet build src/DeepLinearProofs.Cli -c Release`.
# Example: bench/interleave_sweep.sh ../old/src/DeepLinearProofs.Cli/bin/Release/net10.0/dlp \
#            src/DeepLinearProofs.Cli/bin/Release/net10.0/dlp 5 "--widths 3,2,1,2,3 --count 2000"
set -e
OLD=$1; NEW=$2; R=${3:-3}; shift 3 || true
CASES=("$@")
[ ${#CASES[@]} -eq 0 ] && CASES=("--widths 3,2,1,2,3 --count 2000" "--widths 32,16,1,16,32 --count 200" "--widths 3,2,1,2,3 --count 4000 --t-max 0.01")
work=$(mktemp -d)
for r in $(seq 1 "$R"); do
  for c in "${!CASES[@]}"; do
    if (( r % 2 )); then order="old new"; else order="new old"; fi
    for who in $order; do
      b=$OLD; [ "$who" = new ] && b=$NEW
      s0=$(date +%s.%N)
      line=$($b sweep ${CASES[$c]} --target "diag(3,2,1)" --out "$work/$who" 2>&1 | grep "^sweep:")
      s1=$(date +%s.%N)
      echo -e "$c\t$who\t$(echo "$line" | grep -oE "[0-9.]+ s on" | cut -d' ' -f1)\t$(echo "$s1 - $s0" | bc)\t$(cut -d' ' -f1 /proc/loadavg)" >> "$work/times.tsv"
    done
  done
done
python3 - "$work/times.tsv" "${CASES[@]}" <<'PY'
import sys, statistics as st, collections
rows = [l.split('\t') for l in open(sys.argv[1]).read().splitlines() if l]
d, p, load = collections.defaultdict(list), collections.defaultdict(list), [float(r[4]) for r in rows]
for c, w, s, pr, _ in rows: d[(int(c), w)].append(float(s)); p[(int(c), w)].append(float(pr))
for i, c in enumerate(sys.argv[2:]):
    o, n = st.median(d[(i, 'old')]), st.median(d[(i, 'new')])
    po, pn = st.median(p[(i, 'old')]), st.median(p[(i, 'new')])
    print(f"{c}: sweep {o:.2f} s -> {n:.2f} s ({o / n:.2f}x); process {po:.2f} s -> {pn:.2f} s ({po / pn:.2f}x)")
print(f"load average {min(load):.1f}-{max(load):.1f}")
PY
rm -rf "$work"
