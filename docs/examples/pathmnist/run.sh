#!/usr/bin/env bash
# The PathMNIST experiment of docs/results.md, end to end: train the U-Net on the first 800 tiles of the
# 1000-tile subset, bank the other 200 with T = 20 Monte-Carlo passes, evaluate the bank against their labels,
# and run the colour-histogram baseline on the same split.
#
#   docs/examples/pathmnist/run.sh SUBSET_DIR OUT_DIR [--epochs N] [--threads N] [--seed S]
#
# SUBSET_DIR holds labels.csv (filename,...,label_index,...) and images/. OUT_DIR must not exist or be empty; it
# receives split/ (the CSVs below), model/ (slt-cli train), held.h5 (the bank), evaluation/ (slt-cli evaluate,
# with report.html), baseline/ and baseline-32bins/ (slt-cli baseline). slt-cli is $SLT_CLI, else
# build/bin/slt-cli of this checkout, else the one on PATH. Exit status: 0 done, 1 a step failed (its message is
# above), 2 usage error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
usage() { echo "usage: $0 SUBSET_DIR OUT_DIR [--epochs N] [--threads N] [--seed S]" >&2; exit 2; }

[[ $# -ge 2 ]] || usage
subset="$1" out="$2"
shift 2
train_flags=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --epochs|--threads|--seed)
            [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || { echo "$0: $1 needs a non-negative integer" >&2; exit 2; }
            train_flags+=("$1" "$2"); shift 2 ;;
        *) echo "$0: unknown argument '$1'" >&2; usage ;;
    esac
done

cli="${SLT_CLI:-}"
if [[ -z "$cli" ]]; then
    cli="$here/../../../build/bin/slt-cli"
    [[ -x "$cli" ]] || cli="$(command -v slt-cli || true)"
fi
[[ -n "$cli" && -x "$cli" ]] || { echo "$0: slt-cli not found: build it (README) or set SLT_CLI" >&2; exit 1; }

labels="$subset/labels.csv"
[[ -f "$labels" && -d "$subset/images" ]] || { echo "$0: '$subset' is not the PathMNIST subset (no labels.csv or images/)" >&2; exit 1; }
if [[ -e "$out" && -n "$(ls -A "$out" 2>/dev/null)" ]]; then
    echo "$0: '$out' is not empty; choose a new output folder" >&2; exit 1
fi
mkdir -p "$out/split"
images="$(cd "$subset/images" && pwd)"
out="$(cd "$out" && pwd)"

# The split: data rows 1-800 train, 801-1000 are held out. Columns are found by name; image paths are made
# absolute so the split files can live anywhere.
awk -F, -v dir="$images" -v out="$out/split" '
    NR == 1 {
        for (i = 1; i <= NF; ++i) column[$i] = i
        if (!("filename" in column) || !("label_index" in column)) { print "labels.csv lacks filename or label_index" > "/dev/stderr"; exit 1 }
        f = column["filename"]; l = column["label_index"]
        print "filename,label_index" > (out "/train.csv")
        print "filename,label_index" > (out "/held.csv")
        print "image" > (out "/held-images.csv")
        print "point_id,true_class" > (out "/truth.csv")
        next
    }
    NR <= 801 { print dir "/" $f "," $l > (out "/train.csv"); next }
    NR <= 1001 {
        print dir "/" $f "," $l > (out "/held.csv")
        print dir "/" $f > (out "/held-images.csv")
        print (NR - 802) "," $l > (out "/truth.csv")
        held++
    }
    END { if (held != 200) { print "labels.csv has " NR - 1 " rows; the experiment needs 1000" > "/dev/stderr"; exit 1 } }
' "$labels"

config="$here/train.toml"
step() { echo; echo "== $*"; }

step "train on 800 tiles"
"$cli" train --config "$config" --data "$out/split/train.csv" --out "$out/model" "${train_flags[@]}"

step "bank the 200 held-out tiles, T = 20"
"$cli" bank build --model "$out/model/best.pt" --model-config "$out/model/best.pt.toml" \
    --images "$out/split/held-images.csv" --out "$out/held.h5" --mc 20 --metrics bald,entropy,msp \
    --points centre --crop-size 28

step "evaluate the bank"
"$cli" evaluate --bank "$out/held.h5" --truth "$out/split/truth.csv" --out "$out/evaluation"

step "colour-histogram nearest-centroid baseline on the same split (8 bins per channel, the default)"
"$cli" baseline --config "$config" --data "$out/split/train.csv" --test "$out/split/held.csv" --out "$out/baseline"

step "the same baseline with 32 bins per channel (the best bin count on these 200 tiles: an optimistic baseline)"
"$cli" baseline --config "$config" --data "$out/split/train.csv" --test "$out/split/held.csv" --bins 32 \
    --out "$out/baseline-32bins"

echo
echo "done: $out/evaluation/metrics.json (model), $out/baseline/metrics.json and $out/baseline-32bins/metrics.json"
echo "(baselines), $out/evaluation/report.html"
