#!/usr/bin/env bash
# Load benchmark of POST /v1/check with cached results: starts `agent serve` on loopback with a fresh database, warms the
# cache with one real Coq check, then runs wrk (Debian package `wrk`) for a bounded time and prints requests/s and p99.
# Usage: benchmarks/load/run.sh [THREADS] [CONNECTIONS] [DURATION]    (defaults 2 16 10s)
set -euo pipefail
cd "$(dirname "$0")/../.."
threads="${1:-2}"; connections="${2:-16}"; duration="${3:-10s}"
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 2; }
port="${PROOFAGENT_LOAD_PORT:-18087}"
db="$(mktemp -d)/load.db"
configuration="${CONFIGURATION:-Release}"
dotnet build agent/Agent.Cli/Agent.Cli.csproj -c "$configuration" -v q -nologo >&2
agent="agent/Agent.Cli/bin/${configuration}/net10.0/agent"
"$agent" serve --urls "http://127.0.0.1:${port}" --db "$db" --checks-per-prover 2 >/dev/null 2>"${db%.db}.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:${port}/health" >/dev/null 2>&1 && break; sleep 0.2; done
body="$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" benchmarks/load/check.lua)"
echo "warm-up (real Coq check): $(curl -fsS -D - -o /dev/null -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:${port}/v1/check" | grep -i '^x-cache' | tr -d '\r')"
echo "then cached: $(curl -fsS -D - -o /dev/null -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:${port}/v1/check" | grep -i '^x-cache' | tr -d '\r')"
wrk -t"$threads" -c"$connections" -d"$duration" --latency -s benchmarks/load/check.lua "http://127.0.0.1:${port}"
