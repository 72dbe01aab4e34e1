#!/usr/bin/env bash
# Ablation: each feature block alone and together, on dev, on dev's world-topic slice and on
# dev's human-written Inshorts summaries. Prints a Markdown table.
# Usage: scripts/ablation.sh [CORPUS_DIR]   (default ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus}
bin=./target/release/newsprov
cargo build --release -q
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

row() { # name, extra train options...
  local name=$1; shift
  local model=$tmp/m.npm
  local t0=$(date +%s.%N)
  $bin train --data "$corpus/train.csv" --out "$model" "$@" 2>/dev/null
  local t1=$(date +%s.%N)
  local out=$($bin evaluate --model "$model" --data "$corpus/dev.csv" --world-slice --per-outlet)
  local dev=$(echo "$out" | grep -m1 "macro-F1" | awk '{print $4}')
  local world=$(echo "$out" | grep "macro-F1" | sed -n 2p | awk '{print $4}')
  local wagg=$(echo "$out" | awk '/world-topic slice/{w=1} w && $1=="aggregator" && NF==5 {print $3; exit}')
  local insh=$(echo "$out" | awk '$NF=="aggregator/inshorts.com" {print $2}')
  printf '| %s | %s | %s | %s | %s | %.1f |\n' "$name" "$dev" "$world" "$wagg" "$insh" "$(echo "$t1 - $t0" | bc)"
}

echo "| features | dev macro-F1 | world-slice macro-F1 | world-slice aggregator recall | Inshorts right | train s |"
echo "|---|---|---|---|---|---|"
row "bow" --features bow
row "framing" --features framing
row "style" --features style
row "bow,framing" --features bow,framing
row "framing,style" --features framing,style
row "bow,framing,style (default)" --features bow,framing,style
row "bow,framing,style, no chrome augmentation" --features bow,framing,style --augment-chrome 0
