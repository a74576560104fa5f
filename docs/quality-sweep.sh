#!/usr/bin/env bash
# Reproduces every figure in docs/QUALITY.md: one ./mobilenet command per row, JSON lines to stdout.
# Usage: docs/quality-sweep.sh [FLOWERS_DIR] > results.jsonl   (default ../shared/datasets/flowers17)
#   ONLY="3 4" docs/quality-sweep.sh ...   runs only those sections.
# Features are cached (~/.cache/mobilenet-embeddings), so only the first run per (image list, layer,
# preprocessing, resize) runs the network; a second full sweep takes minutes.
# `eval retrieval` defaults to the index's database-side augmentation (--dba 2, --own-weight 0.25); rows that
# measure the embedding alone pass --dba 0.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
flowers="${1:-$root/../shared/datasets/flowers17}"
mb() { echo "# mobilenet $*" >&2; "${MOBILENET:-$root/mobilenet}" "$@" --quiet; }
want() { [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]; }
spatial_pools() { [ "$1" = pooled ] && echo avg || echo "avg max gem"; }

# 1. Layer x pooling x normalisation, full image, antialias.
if want 1; then
  for layer in layer_17 layer_18 layer_19 pooled; do
    for pool in $(spatial_pools $layer); do
      for norm in none l2 sqrt; do
        mb eval retrieval --labels "$flowers/LABELS" --layer $layer --pool $pool --normalize $norm --dba 0 "$flowers"
      done
    done
  done
fi

# 2. Preprocessing x resize filter (cosine).
if want 2; then
  for pre in full center-crop; do
    for rs in antialias bilinear; do
      [ "$pre/$rs" = full/antialias ] && continue
      for layer in layer_17 layer_18 layer_19 pooled; do
        for pool in $(spatial_pools $layer); do
          mb eval retrieval --labels "$flowers/LABELS" --layer $layer --pool $pool --preprocess $pre --resize $rs --dba 0 "$flowers"
        done
      done
    done
  done
fi

# 3. PCA-whitening learned on a held-out half (same classes / disjoint classes).
if want 3; then
  for split in images classes; do
    for dims in 64 128 256; do
      for power in 1 0; do
        mb eval retrieval --labels "$flowers/LABELS" --whiten $dims --whiten-power $power --whiten-split $split "$flowers"
      done
    done
  done
fi

# 4. Index formats (HNSW + exact rescoring; top 100 per query).
if want 4; then
  for fmt in float int7 int4 bit; do
    mb eval retrieval --labels "$flowers/LABELS" --format $fmt --depth 100 --dba 0 "$flowers"
  done
  # the library default (augmentation) through a real index, full ranking
  for fmt in float int7 int4 bit; do
    mb eval retrieval --labels "$flowers/LABELS" --format $fmt --depth 1359 "$flowers"
  done
fi

# 5. Probes (5 folds): default embedding and the old default (pooled, avg); the head's lambda.
if want 5; then
  mb eval probe --labels "$flowers/LABELS" "$flowers"
  mb eval probe --labels "$flowers/LABELS" --layer pooled --pool avg "$flowers"
  for lambda in 0.001 0.1; do
    mb eval probe --labels "$flowers/LABELS" --lambda $lambda "$flowers"
  done
fi

# 6. Sanity check off flowers17: distorted copies of the committed sample photos (39 classes of 6).
if want 6; then
  variants="${TMPDIR:-/tmp}/mobilenet-variants"
  rm -rf "$variants"
  mb eval variants --out "$variants" "$root/samples/natural" \
    $(ls "$root"/samples/test/*.jpg "$root"/samples/test/*.png | grep -v /derived_)
  for pre in full center-crop; do
    for layer in layer_18 layer_19 pooled; do
      for pool in $(spatial_pools $layer); do
        for norm in l2 sqrt; do
          mb eval retrieval --labels "$variants/LABELS" --layer $layer --pool $pool --preprocess $pre --normalize $norm --dba 0 "$variants"
        done
      done
    done
  done
  for dba in 1 2 5; do
    for w in 0 0.25; do
      mb eval retrieval --labels "$variants/LABELS" --dba $dba --own-weight $w "$variants"
    done
  done
fi

# 7. ImageNet head on the natural photos (labels from samples/natural/README.md).
if want 7; then
  for pre in full center-crop; do
    mb eval classify --labels "$root/embeddings/src/test/resources/io/github/mobilenet/embeddings/eval/natural.labels" \
      --preprocess $pre "$root/samples/natural"
  done
fi

# 8. Database-side augmentation (no labels, no training: each vector averaged with its N neighbours),
#    pure (--own-weight 0) and blended with the plain cosine.
if want 8; then
  for dba in 1 2 5 10; do
    for cfg in "--layer pooled --pool avg" "--layer layer_19 --pool gem"; do
      mb eval retrieval --labels "$flowers/LABELS" $cfg --dba $dba --own-weight 0 "$flowers"
    done
  done
  for dba in 1 2 3; do
    for w in 0.25 0.5 0.75; do
      mb eval retrieval --labels "$flowers/LABELS" --dba $dba --own-weight $w "$flowers"
    done
  done
fi

# 9. Held-out classes: is the choice the same on classes 0-7 and on classes 8-16?
if want 9; then
  tmp="${TMPDIR:-/tmp}"
  awk -F'\t' '$2 < 8' "$flowers/LABELS" > "$tmp/flowers-A.labels"
  awk -F'\t' '$2 >= 8' "$flowers/LABELS" > "$tmp/flowers-B.labels"
  for half in A B; do
    for cfg in "--layer pooled --pool avg --dba 0" "--layer layer_19 --pool gem --dba 0" "--layer layer_19 --pool avg --normalize sqrt --dba 0" \
        "--layer layer_19 --pool max --dba 0" "--layer layer_18 --pool gem --dba 0" "--layer layer_19 --pool gem --preprocess center-crop --dba 0" \
        "--layer pooled --pool avg --preprocess center-crop --dba 0" "--layer layer_19 --pool gem --dba 2 --own-weight 0" \
        "--layer layer_19 --pool gem --dba 2 --own-weight 0.25" "--layer layer_19 --pool gem --dba 2 --own-weight 0.5"; do
      mb eval retrieval --labels "$tmp/flowers-$half.labels" $cfg "$flowers"
    done
  done
fi
