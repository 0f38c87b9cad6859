using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ProofAgent.Api.Storage;
using ProofAgent.Hosting.Reporting;
using ProofAgent.Provers;

namespace ProofAgent.Api.Checking;

/// <summary>A validated check: the proof must prove exactly <c>header + statement</c>.</summary>
public sealed record CheckInput(ProofLanguage Language, string Header, string Statement, string Proof, TimeSpan Timeout)
{
    /// <summary>
    /// A whole file (the request's <c>file</c>, held in <see cref="Statement"/>): checked on its own, with no statement to
    /// compare it with, as <c>agent check FILE</c> does.
    /// </summary>
    public bool WholeFile { get; init; }

    /// <summary>The file the prover compiles: header, statement and proof, in that order.</summary>
    public string Source => WholeFile ? Statement : Join(Header, Statement, Proof);

    /// <summary>The statement file the proof is checked against (none for SMT-LIB, a script being its own statement, nor for a whole file).</summary>
    public string? ExpectedStatement => Language == ProofLanguage.Smt || WholeFile ? null : Join(Header, Statement);

    /// <summary>A whole file, checked on its own.</summary>
    public static CheckInput OfFile(ProofLanguage language, string file, TimeSpan timeout) =>
        new(language, string.Empty, file, string.Empty, timeout) { WholeFile = true };

    public static string Join(params IEnumerable<string> parts) =>
        string.Concat(parts.Where(p => p.Length > 0).Select(p => p.EndsWith('\n') ? p : p + "\n"));
}

/// <summary>The answer to a check: a report (JSON of <see cref="CheckReport"/>), or saturation.</summary>
public abstract record CheckAnswer
{
    private CheckAnswer()
    {
    }

    public sealed record Report(string Json, string Verdict, bool CacheHit) : CheckAnswer;

    /// <summary>No slot: <paramref name="Detail"/> says why (queue full, or the bounded wait ran out).</summary>
    public sealed record Saturated(string Pool, string Detail) : CheckAnswer;
}

/// <summary>Answers checks: on this process's provers (<see cref="CheckService"/>), or on the cluster node with a free slot.</summary>
public interface ICheckDispatcher
{
    Task<CheckAnswer> CheckAsync(CheckInput input, CancellationToken cancellationToken);
}

/// <summary>
/// Synchronous checks: the verification cache first (no prover slot needed), then a slot of the prover's pool (waiting
/// in its bounded FIFO queue when every slot is busy), then the real checker through its soundness gate. Only verdicts
/// the same prover version would repeat are stored.
/// </summary>
public sealed class CheckService(IJobStore store, ProverDirectory provers, ProverPools pools, ApiOptions options, ApiMetrics metrics, ILogger<CheckService> logger) : ICheckDispatcher
{
    /// <summary>The cached report of this exact check, or null (a cluster asks this before sending a check to another node).</summary>
    public async Task<CheckAnswer.Report?> CachedAsync(CheckInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var clock = Stopwatch.StartNew();
        if (await provers.ProbeAsync(input.Language, cancellationToken) is not ProverAvailability.Available available ||
            await store.GetCachedAsync(VerificationCache.Key(available.Identity, input.Language, input.WholeFile, input.Header, input.Statement, input.Proof), cancellationToken) is not { } cached)
        {
            return null;
        }

        var verdict = VerdictOf(cached.Report);
        Record(input.Language.Id(), verdict, "hit", clock);
        return new CheckAnswer.Report(cached.Report, verdict, CacheHit: true);
    }

    public async Task<CheckAnswer> CheckAsync(CheckInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var clock = Stopwatch.StartNew();
        var language = input.Language.Id();
        var availability = await provers.ProbeAsync(input.Language, cancellationToken);
        string? key = null;
        if (availability is ProverAvailability.Available available)
        {
            key = VerificationCache.Key(available.Identity, input.Language, input.WholeFile, input.Header, input.Statement, input.Proof);
            if (await store.GetCachedAsync(key, cancellationToken) is { } cached)
            {
                var verdict = VerdictOf(cached.Report);
                Record(language, verdict, "hit", clock);
                return new CheckAnswer.Report(cached.Report, verdict, CacheHit: true);
            }
        }

        var pool = PoolName(input.Language);
        var ticket = await pools.AcquireAsync(pool, options.MaxCheckWait, cancellationToken);
        using var lease = ticket.Lease;
        if (lease is null)
        {
            metrics.Rejected.Add(1, new KeyValuePair<string, object?>("reason", "saturated"));
            return new CheckAnswer.Saturated(pool, ticket.Refusal == PoolRefusal.QueueFull
                ? $"every slot of the '{pool}' pool ({options.ChecksPerProver}) is busy and {options.MaxQueuedChecks} checks already wait"
                : $"no slot of the '{pool}' pool ({options.ChecksPerProver}) came free within {options.MaxCheckWait.TotalSeconds:0.#} s in the queue");
        }

        metrics.CheckWait.Record(clock.Elapsed.TotalSeconds, new KeyValuePair<string, object?>("language", language));

        var task = new ProofTask(input.Language, input.Source)
            .WithExpectedStatement(input.ExpectedStatement)
            .WithBudget(ResourceBudget.Default.WithWallClock(input.Timeout));
        var result = await provers.Catalog.Checker(input.Language).CheckAsync(task, cancellationToken);
        var json = ApiJson.Serialize(CheckReport.From(null, input.Language, result));
        if (key is not null && VerificationCache.IsCacheable(result.Verdict) && availability is ProverAvailability.Available a && a.Identity == result.Prover)
        {
            await store.PutCachedAsync(new CachedReport(key, result.Prover.Name, result.Prover.Version, language, json), CancellationToken.None);
        }

        logger.LogInformation("check {Language} {Verdict} in {ElapsedMs} ms ({Prover})", language, result.Verdict.Name, clock.ElapsedMilliseconds, result.Prover);
        Record(language, result.Verdict.Name, "miss", clock);
        return new CheckAnswer.Report(json, result.Verdict.Name, CacheHit: false);
    }

    /// <summary>The pool of a language's checks (and suggestion sessions).</summary>
    public static string PoolName(ProofLanguage language) => "check:" + language.Id();

    private void Record(string language, string verdict, string cache, Stopwatch clock)
    {
        var tags = new TagList { { "language", language }, { "verdict", verdict }, { "cache", cache } };
        metrics.Checks.Add(1, tags);
        metrics.CheckDuration.Record(clock.Elapsed.TotalSeconds, tags);
    }

    private static string VerdictOf(string reportJson)
    {
        using var document = System.Text.Json.JsonDocument.Parse(reportJson);
        return document.RootElement.GetProperty("verdict").GetString() ?? "unknown";
    }
}
