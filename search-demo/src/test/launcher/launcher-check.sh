#!/usr/bin/env bash
# Checks the ./mobilenet launcher itself (run by hand, not by mvn verify: the launcher runs the jar that
# the package phase builds after the tests). Usage: bash search-demo/src/test/launcher/launcher-check.sh
# It checks: no incubator warning or colour codes on stderr, exit codes 0/1/2 kept, stderr lines kept in
# order, 10 000 paths and paths with quotes/backslashes/spaces/newlines passed intact (argument file).
set -uo pipefail
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
launcher="$root/mobilenet"
photo="$root/samples/natural/grace_hopper.bmp"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
passes=0
failures=0
check() { # check NAME CONDITION...
  local name="$1"; shift
  if "$@"; then echo "ok   $name"; passes=$((passes + 1)); else echo "FAIL $name"; failures=$((failures + 1)); fi
}
clean_stderr() { ! grep -q 'WARNING: Using incubator modules' "$1" && ! grep -q $'\e' "$1"; }

bash "$launcher" classify --top 1 "$photo" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "one photo: exit 0" [ "$rc" = 0 ]
check "one photo: class 653" grep -q '"index":653' "$tmp/out"
check "one photo: no incubator warning, no escape codes on stderr" clean_stderr "$tmp/err"
check "one photo: nothing else on stderr (but a build line)" \
  [ -z "$(grep -v '^mobilenet: building' "$tmp/err")" ]

bash "$launcher" classify >"$tmp/out" 2>"$tmp/err"; rc=$?
check "usage error: exit 2" [ "$rc" = 2 ]
check "usage error: message then usage, in order" \
  [ "$(sed -n '1s/:.*//p;2s/ .*//p' "$tmp/err" | tr '\n' ' ')" = "mobilenet classify usage: " ]
check "usage error: no incubator warning" clean_stderr "$tmp/err"

args=("$photo")
for i in $(seq 1 9998); do args+=("$tmp/missing dir/IMG_$i.jpg"); done
args+=("$root/samples/natural/cat.bmp")
bash "$launcher" classify --top 1 "${args[@]}" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "10 000 paths: exit 1 (missing files)" [ "$rc" = 1 ]
check "10 000 paths: 10 000 lines" [ "$(wc -l <"$tmp/out")" = 10000 ]
check "10 000 paths: first is 653, last is 286" \
  [ "$(head -1 "$tmp/out" | grep -c '"index":653')$(tail -1 "$tmp/out" | grep -c '"index":286')" = 11 ]
check "10 000 paths: 9998 error lines" [ "$(grep -c '"error"' "$tmp/out")" = 9998 ]
check "10 000 paths: no incubator warning" clean_stderr "$tmp/err"

odd=()
for name in 'with space.bmp' 'dq"quote.bmp' "sq'quote.bmp" 'back\slash.bmp' $'new\nline.bmp' '@at.bmp' '#hash.bmp'; do
  cp "$photo" "$tmp/$name"; odd+=("$tmp/$name")
done
pad=(); for i in $(seq 1 200); do pad+=("$tmp/missing dir/PAD_$i.jpg"); done
bash "$launcher" classify --top 1 "${odd[@]}" "${pad[@]}" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "odd names through the argument file: exit 1 (padding is missing)" [ "$rc" = 1 ]
check "odd names through the argument file: all ${#odd[@]} found and classified" \
  [ "$(head -"${#odd[@]}" "$tmp/out" | grep -c '"index":653')" = "${#odd[@]}" ]

echo "$passes passed, $failures failed"
[ "$failures" = 0 ]
