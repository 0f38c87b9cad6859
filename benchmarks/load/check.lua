-- wrk script: POST /v1/check with one fixed Coq proof, so that every request after the first is a verification-cache hit.
-- Usage: see run.sh (wrk -t2 -c16 -d10s -s benchmarks/load/check.lua http://127.0.0.1:PORT)
wrk.method = "POST"
wrk.path = "/v1/check"
wrk.headers["Content-Type"] = "application/json"
if os.getenv("PROOFAGENT_API_KEY") then
  wrk.headers["X-Api-Key"] = os.getenv("PROOFAGENT_API_KEY")
end
wrk.body = '{"language":"coq","header":"Require Import Lia.","statement":"Theorem add_comm_load : forall n m : nat, n + m = m + n.","proof":"Proof. intros n m. lia. Qed.","timeout":60}'

local statuses = {}

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  io.write(string.format("requests/s: %.1f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50: %.2f ms, p99: %.2f ms, max: %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end
