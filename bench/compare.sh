#!/usr/bin/env bash
# newsprov beside scikit-learn and fastText on the same CSV files and machine, as one table.
#
#   bench/compare.sh [TRAIN.csv] [DEV.csv]      (default: ../shared/corpus2/{train,dev}.csv)
#   REPEAT=3 (newsprov runs; best and median are shown), PEERS=0 to skip the peers,
#   FEATURES=bow,framing,style,page to train with other feature blocks (default: all, as the
#   built-in model), to see what a block costs in time beside what it gives in accuracy;
#   TRAIN_ARGS="--masked-max-n 2" for any other `train` options, the same way.
#
# newsprov: `train --data TRAIN --dev DEV` (tokenize, vocabulary, fit, dev evaluation, write the
# model) and `score --format jsonl DEV > /dev/null`, both timed end to end as processes.
# Peers: ../shared/bench/peers.py (training: vectorizer + fit; prediction: transform + predict,
# inside one Python process, so their times exclude start-up and reading the CSV). Peak RSS comes
# from /usr/bin/time -v; the peers share one process, so they share one peak RSS figure.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
train="${1:-$here/../shared/corpus2/train.csv}"
dev="${2:-$here/../shared/corpus2/dev.csv}"
repeat="${REPEAT:-3}"
peers_py="$here/../shared/bench/peers.py"
work="$(mktemp -d /tmp/newsprov-compare.XXXXXX)"
trap 'rm -rf "$work"' EXIT

command -v /usr/bin/time >/dev/null || { apt-get install -y time >/dev/null 2>&1 || true; }
if [ "${PEERS:-1}" != 0 ]; then
  python3 -c 'import sklearn' 2>/dev/null || pip install -q scikit-learn 2>/dev/null \
    || pip install -q --break-system-packages scikit-learn
  python3 -c 'import fasttext' 2>/dev/null || pip install -q fasttext-wheel 2>/dev/null \
    || pip install -q --break-system-packages fasttext-wheel || true
fi

# the `dist` profile (release with whole-program optimisation), as `cargo install` in the README
(cd "$here" && cargo build --profile dist --quiet --bin newsprov)
bin="${CARGO_TARGET_DIR:-$here/target}/dist/newsprov"
[ -x "$bin" ] || bin="$here/target/dist/newsprov"

now() { date +%s.%N; }
peak() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$1"; }
cpu() { awk -F': ' '/(User|System) time \(seconds\)/ {s += $2} END {printf "%.2f", s}' "$1"; }

for i in $(seq "$repeat"); do
  t0=$(now)
  /usr/bin/time -v -o "$work/train.$i.time" "$bin" train --data "$train" --dev "$dev" \
    ${FEATURES:+--features "$FEATURES"} ${TRAIN_ARGS:-} --out "$work/m.npm" 2>"$work/train.$i.log" >/dev/null
  t1=$(now)
  /usr/bin/time -v -o "$work/score.$i.time" "$bin" score --model "$work/m.npm" --format jsonl "$dev" \
    >/dev/null 2>"$work/score.$i.log"
  t2=$(now)
  awk -v a="$t0" -v b="$t1" -v c="$t2" -v r1="$(peak "$work/train.$i.time")" -v r2="$(peak "$work/score.$i.time")" \
    -v u1="$(cpu "$work/train.$i.time")" -v u2="$(cpu "$work/score.$i.time")" \
    'BEGIN { printf "%.3f %.3f %s %s %s %s\n", b - a, c - b, r1, r2, u1, u2 }' >>"$work/newsprov.runs"
done
f1=$(sed -n 's/^dev: macro-F1 \([0-9.]*\).*/\1/p' "$work/train.1.log")

if [ "${PEERS:-1}" != 0 ]; then
  /usr/bin/time -v -o "$work/peers.time" python3 "$peers_py" "$train" "$dev" >"$work/peers.out" 2>&1 || true
fi
touch "$work/peers.out" "$work/peers.time"

python3 - "$work" "$dev" "$f1" <<'PY'
import csv, re, statistics, sys, os
csv.field_size_limit(1 << 30)
work, dev, f1 = sys.argv[1], sys.argv[2], sys.argv[3]
with open(dev, newline="") as f:
    mb = sum(len(r["text"].encode()) for r in csv.DictReader(f)) / 1e6
runs = [list(map(float, l.split())) for l in open(os.path.join(work, "newsprov.runs"))]
tr = [r[0] for r in runs]; sc = [r[1] for r in runs]
out = open(os.path.join(work, "peers.out")).read()
m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(os.path.join(work, "peers.time")).read())
peers_rss = f"{int(m.group(1)) / 1024:.0f}" if m else "?"
rows = [("newsprov", min(tr), statistics.median(tr), min(sc), statistics.median(sc),
         f"{max(r[2] for r in runs):.0f} / {max(r[3] for r in runs):.0f}", f1)]
for tool in ("sklearn", "fasttext"):
    t = re.search(tool + r" train: ([\d.]+)s", out)
    p = re.search(tool + r" predict: ([\d.]+)s.*?\(([\d.]+) MB/s\)", out)
    q = re.search(tool + r" +\S+ +macroF1=([\d.]+)", out)
    if t and p:
        rows.append((tool, float(t.group(1)), float(t.group(1)), float(p.group(1)), float(p.group(1)),
                     f"{peers_rss} (shared)", q.group(1) if q else "?"))
print(f"dev text: {mb:.2f} MB; newsprov: best / median of {len(runs)} runs; peers: one run")
print(f"newsprov feature blocks: {os.environ.get('FEATURES') or 'all (as the built-in model)'}"
      + (f"; train options: {os.environ['TRAIN_ARGS']}" if os.environ.get("TRAIN_ARGS") else ""))
print(f"newsprov CPU (user+sys) s, best: train {min(r[4] for r in runs):.2f}, score {min(r[5] for r in runs):.2f}")
print()
print("| tool | train s | score s | score MB/s | peak RSS MB train / score | dev macro-F1 |")
print("|---|---|---|---|---|---|")
for name, tb, tm, sb, sm, rss, q in rows:
    if name == "newsprov":
        print(f"| {name} | {tb:.2f} / {tm:.2f} | {sb:.2f} / {sm:.2f} | {mb/sb:.1f} / {mb/sm:.1f} | {rss} | {q} |")
    else:
        print(f"| {name} | {tb:.2f} | {sb:.2f} | {mb/sb:.1f} | {rss} | {q} |")
peers = {r[0]: r for r in rows[1:]}
if peers:
    print()
    print("| newsprov vs | train time ratio (best / median) | score speed-up (best / median) |")
    print("|---|---|---|")
    for name, r in peers.items():
        print(f"| {name} | {min(tr)/r[1]:.3f} / {statistics.median(tr)/r[1]:.3f} "
              f"| {r[3]/min(sc):.1f}x / {r[3]/statistics.median(sc):.1f}x |")
PY
echo
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); load: $(uptime | sed 's/.*load average: //')"
