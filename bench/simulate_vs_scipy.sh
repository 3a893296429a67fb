#!/bin/bash
# The Numerics comparison in one command: for each width list, makes the benchmark problem (seed 1), integrates it with
# `dlp bench simulate --method dop853` and with SciPy's own DOP853 (bench/scipy_anchor.py) on that same file, one after
# the other, and prints one row per problem: both wall times (integration only), both nfev, the ratio SciPy / dlp,
# dlp's GFLOP/s beside its matvec calibration, and both final loss gaps.
# Usage: bench/simulate_vs_scipy.sh DLP [--t-max T] [--repeat R] [--scipy-timeout S] WIDTHS...
#   DLP is the dlp command (a Release build: `dotnet build src/DeepLinearProofs.Cli -c Release -o /tmp/dlp-release`,
#   then /tmp/dlp-release/dlp). SciPy runs as /usr/bin/python3 on one thread (Debian's python3-scipy); a SciPy run over
#   the timeout (default 3600 s) is reported as "> S s" and its ratio as a lower bound.
# Example: bench/simulate_vs_scipy.sh /tmp/dlp-release/dlp 3,1,3 8,4,1,4,8 32,16,1,16,32 128,64,1,64,128
set -e
DLP=$1; shift
TMAX=200; REPEAT=3; TIMEOUT=3600; WIDTHS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --t-max) TMAX=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --scipy-timeout) TIMEOUT=$2; shift 2 ;;
    *) WIDTHS+=("$1"); shift ;;
  esac
done
[ -n "$DLP" ] && [ ${#WIDTHS[@]} -gt 0 ] || { echo "usage: bench/simulate_vs_scipy.sh DLP [--t-max T] [--repeat R] [--scipy-timeout S] WIDTHS..." >&2; exit 2; }
PY=/usr/bin/python3
$PY -c "import scipy" 2>/dev/null || { echo "bench/simulate_vs_scipy.sh: $PY has no SciPy; install it with apt-get install -y python3-scipy" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
field() { echo "$1" | grep -oE "(^| )$2=[^ ]+" | head -1 | cut -d= -f2; }
printf "%-26s %10s %9s %10s %9s %9s %7s %8s %11s %11s\n" widths dlp_s dlp_nfev scipy_s scipy_nfev ratio gflops matvec dlp_gap scipy_gap
for w in "${WIDTHS[@]}"; do
  p="$work/problem-${w//,/_}.json"
  $DLP bench make-problem --widths "$w" --seed 1 --out "$p" >/dev/null
  d=$($DLP bench simulate --problem "$p" --method dop853 --t-max "$TMAX" --repeat "$REPEAT")
  s=$(OPENBLAS_NUM_THREADS=1 timeout "$TIMEOUT" $PY "$here/scipy_anchor.py" "$p" --method DOP853 --t-max "$TMAX" || true)
  dw=$(field "$d" wall_s); sw=$(field "$s" wall_s)
  if [ -n "$sw" ]; then ratio=$(echo "$sw / $dw" | bc -l | xargs printf "%.0fx"); snf=$(field "$s" nfev); sgap=$(field "$s" gap)
  else sw="> $TIMEOUT"; ratio=$(echo "$TIMEOUT / $dw" | bc -l | xargs printf "> %.0fx"); snf="-"; sgap="-"; fi
  printf "%-26s %10s %9s %10s %9s %9s %7s %8s %11s %11s\n" "$w" "$dw" "$(field "$d" nfev)" "$sw" "$snf" "$ratio" \
    "$(field "$d" gflops)" "$(field "$d" matvec_gflops)" "$(field "$d" gap)" "$sgap"
done
echo "t_max $TMAX, rtol 1e-10, atol 1e-12; load average $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
rm -rf "$work"
