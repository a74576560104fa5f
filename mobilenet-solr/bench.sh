#!/usr/bin/env bash
# SolrBench: local index vs a 2-shard collection on a local 2-node SolrCloud, same vectors.
# Usage (from the repository root): mobilenet-solr/bench.sh [FOLDER] [SHARDS]   (default ../shared/datasets/flowers17 2)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -o -q -pl mobilenet-solr -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2
m="$root/mobilenet-solr/target"
exec java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx2g \
  -cp "$m/test-classes:$m/classes:$(cat "$m/test-classpath.txt")" \
  io.github.mobilenet.solr.SolrBench "${1:-$root/../shared/datasets/flowers17}" "${2:-2}"
