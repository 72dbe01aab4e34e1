#!/usr/bin/env bash
# Training time and peak memory at 1x, 4x and 16x the training corpus.
#
#   bench/growth.sh [TRAIN.csv]        (default: ../shared/corpus/train.csv; FACTORS="1 4 16")
#
# The bigger files repeat every row with a new id (16x of train.csv is about 700 MB); they are
# written under /tmp and deleted on exit. `--l2` is scaled with the factor, so the objective is
# exactly k times the 1x one and the optimiser does comparable work: the table then shows what
# more data costs, not a different regularisation. Needs about 17x the CSV size of free disk.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
train="${1:-$here/../shared/corpus/train.csv}"
factors="${FACTORS:-1 4 16}"
work="$(mktemp -d /tmp/newsprov-growth.XXXXXX)"
trap 'rm -rf "$work"' EXIT

need=$(( $(stat -c %s "$train") * 17 / 1024 ))
free=$(df -Pk /tmp | awk 'NR == 2 { print $4 }')
[ "$free" -gt "$need" ] || { echo "growth.sh: need ${need} KB free under /tmp, have ${free}" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { apt-get install -y time >/dev/null 2>&1 || true; }

(cd "$here" && cargo build --release --quiet)
bin="${CARGO_TARGET_DIR:-$here/target}/release/newsprov"
[ -x "$bin" ] || bin="$here/target/release/newsprov"

echo "| corpus | rows | CSV MB | train s | s per 1x | peak RSS MB | MB per 1x | iterations |"
echo "|---|---|---|---|---|---|---|---|"
base_t=""; base_m=""
for k in $factors; do
  f="$work/train.${k}x.csv"
  python3 - "$train" "$f" "$k" <<'PY'
import csv, sys
csv.field_size_limit(1 << 30)
src, dst, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(src, newline="") as f:
    rows = list(csv.DictReader(f))
with open(dst, "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    for copy in range(k):
        for r in rows:
            if copy:
                r = dict(r, id=f"{r['id']}#r{copy}")
            w.writerow(r)
PY
  rows=$(( $(python3 -c "import csv,sys; csv.field_size_limit(1<<30); print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=''))))" "$f") - 1 ))
  mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.0f", b / 1e6 }')
  l2=$(awk -v k="$k" 'BEGIN { printf "%g", 0.1 * k }')
  t0=$(date +%s.%N)
  /usr/bin/time -v -o "$work/time" "$bin" train --data "$f" --l2 "$l2" --out "$work/m.npm" 2>"$work/log" >/dev/null
  t1=$(date +%s.%N)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/time")
  iters=$(sed -n 's/.* \([0-9]*\) iterations).*/\1/p' "$work/log")
  [ -n "$base_t" ] || { base_t=$secs; base_m=$rss; }
  per_t=$(awk -v s="$secs" -v b="$base_t" -v k="$k" 'BEGIN { printf "%.2f", s / k }')
  per_m=$(awk -v s="$rss" -v b="$base_m" -v k="$k" 'BEGIN { printf "%.0f", s / k }')
  echo "| ${k}x | $rows | $mb | $secs | $per_t | $rss | $per_m | $iters |"
  rm -f "$f"
done
echo
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); load: $(uptime | sed 's/.*load average: //')"
