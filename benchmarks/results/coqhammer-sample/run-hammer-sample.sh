#!/usr/bin/env bash
# CoqHammer (libcoq-hammer 1.3.2 for Coq 8.16, ATPs: eprover, z3; no cvc4/vampire here) on a 40-problem sample of the
# miniF2F-rocq test split: every 6th problem in ordinal name order. Each problem: `intros; hammer.` under a 60 s limit.
# Usage: benchmarks/results/coqhammer-sample/run-hammer-sample.sh ../shared/minif2f/rocq/test OUTDIR
set -u
data=$1; out=$2; mkdir -p "$out"
ls "$data"/*.v | LC_ALL=C sort | awk 'NR % 6 == 1' | head -40 > "$out/sample.txt"
one() {
  f=$1; out=$2; n=$(basename "$f" .v); d=$(mktemp -d)
  python3 - "$f" > "$d/C.v" <<'PY'
import re, sys
src = open(sys.argv[1]).read().replace("From Stdlib", "From Coq")
m = re.search(r'^(Theorem|Lemma)\s', src, re.M)
body = re.sub(r'Proof\.[\s\S]*?(Admitted|Qed)\.\s*$', '', src[m.start():].strip())
print("From Hammer Require Import Hammer.\n" + src[:m.start()] + "\n" + body + "\nProof.\nintros; hammer.\nQed.")
PY
  start=$(date +%s.%N); (cd "$d" && timeout 60 coqc -q C.v > out.txt 2>&1); rc=$?; end=$(date +%s.%N)
  printf '%s %s %.1f %s\n' "$n" "$rc" "$(echo "$end - $start" | bc)" "$(grep -o 'Replace the hammer tactic with: .*' "$d/out.txt" | head -1 | cut -c33-)" >> "$out/results.txt"
  rm -rf "$d"
}
export -f one
: > "$out/results.txt"
xargs -P 3 -I{} bash -c 'one "$@"' _ {} "$out" < "$out/sample.txt"
echo "proved $(awk '$2 == 0' "$out/results.txt" | wc -l)/$(wc -l < "$out/results.txt") (rc 0 = coqc accepted the file)"
