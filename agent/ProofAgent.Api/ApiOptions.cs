using ProofAgent.Hosting;
using ProofAgent.Models;

namespace ProofAgent.Api;

/// <summary>Per-request limits. Each one, when exceeded, is a <c>400</c> problem naming the field, its value and the limit.</summary>
public sealed record ApiLimits
{
    /// <summary>Largest request body, bytes.</summary>
    public long MaxBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>Longest statement (and longest header), characters.</summary>
    public int MaxStatementChars { get; init; } = 64 * 1024;

    /// <summary>Longest proof, characters.</summary>
    public int MaxProofChars { get; init; } = 512 * 1024;

    /// <summary>Longest <c>timeout</c> of a check, seconds.</summary>
    public double MaxCheckTimeoutSeconds { get; init; } = 300;

    /// <summary>Longest wall-clock <c>budget.seconds</c> of a proof job.</summary>
    public double MaxBudgetSeconds { get; init; } = 3600;

    /// <summary>Most model samples in one request (proof jobs, /generate, /v1/suggest).</summary>
    public int MaxSamples { get; init; } = 64;

    /// <summary>Most prefix tactics and most suggestions checked in one /v1/suggest request.</summary>
    public int MaxTactics { get; init; } = 64;

    public ApiLimits WithMaxBodyBytes(long value) => this with { MaxBodyBytes = value };

    public ApiLimits WithMaxStatementChars(int value) => this with { MaxStatementChars = value };

    public ApiLimits WithMaxCheckTimeoutSeconds(double value) => this with { MaxCheckTimeoutSeconds = value };

    public ApiLimits WithMaxBudgetSeconds(double value) => this with { MaxBudgetSeconds = value };
}

/// <summary>How the service runs: where it listens, where it keeps jobs, who may call it, and how much work it takes at once.</summary>
public sealed record ApiOptions
{
    /// <summary>Listening URLs. Port 0 picks a free port (see <see cref="ProofApiServer.Urls"/>).</summary>
    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:8080"];

    /// <summary>The SQLite database of jobs, events and the verification cache.</summary>
    public string DatabasePath { get; init; } = DefaultDatabasePath();

    /// <summary>Accepted API keys (<c>X-Api-Key</c> or <c>Authorization: Bearer</c>). Empty: no key, allowed only on loopback.</summary>
    public IReadOnlyList<string> ApiKeys { get; init; } = [];

    /// <summary>The model registry file (models/README.md); null: <c>$PROOFAGENT_MODELS</c>, else no models.</summary>
    public string? ModelsPath { get; init; }

    /// <summary>The model runtimes the registry may use (the CLI passes gguf and openai).</summary>
    public IReadOnlyList<IModelRuntime> ModelRuntimes { get; init; } = [];

    public ApiLimits Limits { get; init; } = new();

    /// <summary>Checks that may run at once per prover (language); more wait in the check queue.</summary>
    public int ChecksPerProver { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Checks that may wait (first in, first out) for a slot of their prover; one more gets 429 at once.</summary>
    public int MaxQueuedChecks { get; init; } = 32;

    /// <summary>The longest a check waits in the queue for a slot before it gets 429 (its prover time is not counted).</summary>
    public TimeSpan MaxCheckWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Proof jobs that run at once.</summary>
    public int ConcurrentJobs { get; init; } = 1;

    /// <summary>Accepted but unfinished jobs (queued + running) before new ones get 429.</summary>
    public int MaxPendingJobs { get; init; } = 64;

    /// <summary>Model requests (/generate, /v1/suggest) at once; more get 429.</summary>
    public int ConcurrentModelRequests { get; init; } = 2;

    /// <summary>The <c>Retry-After</c> of a 429, seconds.</summary>
    public int RetryAfterSeconds { get; init; } = 5;

    /// <summary>How many times a job may be started; a job still running after that many restarts is marked interrupted.</summary>
    public int MaxJobAttempts { get; init; } = 2;

    /// <summary>Default number of tactics sampled by /generate.</summary>
    public int GenerateSamples { get; init; } = 8;

    /// <summary>Least severe log level written (stderr).</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Information;

    /// <summary>The <c>node</c> label of every metric and the node's name in logs and <c>/health</c>; null: no label (a lone service).</summary>
    public string? NodeName { get; init; }

    /// <summary>
    /// Where jobs, events and the verification cache live and who runs jobs: null is the embedded default (the SQLite file
    /// <see cref="DatabasePath"/>, jobs in this process). The cluster mode (ProofAgent.Cluster) plugs in here.
    /// </summary>
    public IApiBackend? Backend { get; init; }

    /// <summary>Structured (JSON) console logs.</summary>
    public bool JsonLogs { get; init; }

    /// <summary>Prover executables and sandbox; null: <see cref="ProverSettings.FromEnvironment"/>.</summary>
    public ProverSettings? Provers { get; init; }

    /// <summary>
    /// The composition root to serve from (tests, embedders); null: the service creates one from <see cref="Provers"/>.
    /// Either way the service disposes it when it stops.
    /// </summary>
    public ProofAgent.Hosting.ProverHost? Host { get; init; }

    /// <summary>
    /// Proof jobs consult the SMT goal oracle (the statement of Lean/Isabelle jobs first, Coq goals during the search):
    /// counterexamples prune and refute, never prove. As <c>agent prove</c> does unless <c>--no-smt</c>.
    /// </summary>
    public bool SmtOracle { get; init; } = true;

    public ApiOptions WithUrls(params IEnumerable<string> urls) => this with { Urls = [.. urls] };

    public ApiOptions WithDatabase(string path) => this with { DatabasePath = path };

    public ApiOptions WithApiKeys(params IEnumerable<string> keys) => this with { ApiKeys = [.. keys] };

    public ApiOptions WithLimits(ApiLimits limits) => this with { Limits = limits };

    public ApiOptions WithCheckQueue(int maxQueued, TimeSpan maxWait) => this with { MaxQueuedChecks = maxQueued, MaxCheckWait = maxWait };

    public ApiOptions WithBackend(IApiBackend backend) => this with { Backend = backend };

    public static string DefaultDatabasePath()
    {
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return Path.Combine(root.Length > 0 ? root : ".", "proofagent", "service.db");
    }
}
