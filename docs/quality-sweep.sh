#!/usr/bin/env bash
# Reproduces every figure in docs/QUALITY.md: one ./mobilenet command per row, JSON lines to stdout.
# Usage: docs/quality-sweep.sh [FLOWERS_DIR] > results.jsonl   (default ../shared/datasets/flowers17)
# Features are cached (~/.cache/mobilenet-embeddings), so only the first run per (layer, preprocessing,
# resize) runs the network; rerunning the whole sweep then takes minutes, not hours.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
flowers="${1:-$root/../shared/datasets/flowers17}"
mb() { echo "# mobilenet $*" >&2; "${MOBILENET:-$root/mobilenet}" "$@" --quiet; }

# 1. Layer x pooling x normalisation, full image, antialias.
for layer in layer_17 layer_18 layer_19 pooled; do
  pools="avg max gem"; [ "$layer" = pooled ] && pools="avg"
  for pool in $pools; do
    for norm in none l2 sqrt; do
      mb eval retrieval --labels "$flowers/LABELS" --layer $layer --pool $pool --normalize $norm "$flowers"
    done
  done
done

# 2. Preprocessing x resize filter (cosine).
for pre in full center-crop; do
  for rs in antialias bilinear; do
    [ "$pre/$rs" = full/antialias ] && continue
    for layer in layer_17 layer_18 layer_19 pooled; do
      pools="avg max gem"; [ "$layer" = pooled ] && pools="avg"
      for pool in $pools; do
        mb eval retrieval --labels "$flowers/LABELS" --layer $layer --pool $pool --preprocess $pre --resize $rs "$flowers"
      done
    done
  done
done

# 3. PCA-whitening learned on a held-out half (same classes / disjoint classes).
for split in images classes; do
  for dims in 64 128 256; do
    mb eval retrieval --labels "$flowers/LABELS" --whiten $dims --whiten-split $split "$flowers"
  done
done

# 4. Index formats (HNSW + exact rescoring; top 100 per query).
for fmt in float int7 int4 bit; do
  mb eval retrieval --labels "$flowers/LABELS" --format $fmt --depth 100 "$flowers"
done

# 5. Probes (5 folds): default embedding and the old default (pooled, avg).
mb eval probe --labels "$flowers/LABELS" "$flowers"
mb eval probe --labels "$flowers/LABELS" --layer pooled --pool avg "$flowers"
for lambda in 0.001 0.1; do
  mb eval probe --labels "$flowers/LABELS" --lambda $lambda "$flowers"
done

# 6. Sanity check off flowers17: distorted copies of the committed sample photos (39 classes of 6).
variants="${TMPDIR:-/tmp}/mobilenet-variants"
rm -rf "$variants"
mb eval variants --out "$variants" "$root/samples/natural" $(ls "$root"/samples/test/*.jpg "$root"/samples/test/*.png | grep -v /derived_)
for pre in full center-crop; do
  for layer in layer_18 layer_19 pooled; do
    pools="avg max gem"; [ "$layer" = pooled ] && pools="avg"
    for pool in $pools; do
      for norm in l2 sqrt; do
        mb eval retrieval --labels "$variants/LABELS" --layer $layer --pool $pool --preprocess $pre --normalize $norm "$variants"
      done
    done
  done
done

# 7. ImageNet head on the natural photos (labels from samples/natural/README.md).
mb eval classify --labels "$root/embeddings/src/test/resources/io/github/mobilenet/embeddings/eval/natural.labels" "$root/samples/natural"
