#!/usr/bin/env bash
# Regenerates the ANTLR parsers of every grammar project in this folder with the pinned generator (antlr-ng, see
# package.json), so that `dotnet build` needs only the .NET SDK.
#
# Layout: grammars/<Project>/Grammar/*.g4  ->  grammars/<Project>/Generated/*.cs  (namespace <Project>.Generated)
# Each Generated/ folder also gets GRAMMAR.sha256: the hash of its .g4 inputs and the generator version. The test
# "Generated parsers are up to date" recomputes it, so a grammar edited without regenerating fails the build's tests.
#
#   ./generate.sh           regenerate everything
#   ./generate.sh --check   regenerate into a temporary folder and fail if anything differs from what is committed
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x node_modules/.bin/antlr-ng ]; then
  npm ci --no-audit --no-fund --silent
fi
generator_version="antlr-ng $(node -p "require('./node_modules/antlr-ng/package.json').version")"

check=false
if [ "${1:-}" = "--check" ]; then check=true; fi
status=0

for grammar_dir in */Grammar; do
  project="${grammar_dir%%/Grammar}"
  shopt -s nullglob
  g4s=("$grammar_dir"/*.g4)
  shopt -u nullglob
  [ ${#g4s[@]} -gt 0 ] || continue
  target="$project/Generated"
  out="$(mktemp -d)"
  node_modules/.bin/antlr-ng -Dlanguage=CSharp --generate-visitor true --generate-listener false \
    --package "$project.Generated" --lib "$grammar_dir" -o "$out" "${g4s[@]}" >/dev/null
  find "$out" -type f ! -name '*.cs' -delete
  {
    echo "$generator_version"
    for g4 in $(printf '%s\n' "${g4s[@]}" | LC_ALL=C sort); do
      echo "$(sha256sum < "$g4" | cut -d' ' -f1)  $(basename "$g4")"
    done
  } > "$out/GRAMMAR.sha256"
  if $check; then
    if ! diff -r -q "$out" "$target" >/dev/null 2>&1; then
      echo "stale: $target (run grammars/generate.sh)" >&2
      status=1
    fi
    rm -rf "$out"
  else
    rm -rf "$target"
    mkdir -p "$target"
    cp "$out"/* "$target"/
    rm -rf "$out"
    echo "generated $target"
  fi
done
exit $status
