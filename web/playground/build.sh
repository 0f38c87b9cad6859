#!/usr/bin/env bash
# Rebuilds the playground bundle into agent/ProofAgent.Api/Playground/Generated with the pinned packages
# (package-lock.json), so that `dotnet build` needs only the .NET SDK. See build.mjs.
#
#   ./build.sh           rebuild (commit the result with the sources)
#   ./build.sh --check   rebuild in memory and fail if the committed bundle differs
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x node_modules/.bin/esbuild ]; then
  npm ci --no-audit --no-fund --silent
fi
node build.mjs "$@"
