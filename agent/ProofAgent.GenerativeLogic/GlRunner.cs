using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProofAgent.Provers;

namespace ProofAgent.GenerativeLogic;

/// <summary>One theorem of a run's summary.</summary>
public sealed record GlTheoremSummary(string Name, string Statement, bool Checked, bool? CoqChecked, bool Redundant);

/// <summary>The result of <see cref="GlRunner.RunAsync"/>: what <c>agent gl run --json</c> prints.</summary>
public sealed record GlRunSummary(int Conjectures, int Proved, IReadOnlyList<GlTheoremSummary> Theorems, long ElapsedMs)
{
    public IReadOnlyDictionary<string, long> PhaseMilliseconds { get; init; } = new Dictionary<string, long>();

    public string? CoqError { get; init; }

    public int Unproved { get; init; }
}

/// <summary>The result of replaying a proof graph.</summary>
public sealed record GlCheckSummary(int Theorems, int Valid, IReadOnlyList<CheckOutcome> Outcomes, bool? CoqChecked, string? CoqError);

/// <summary>
/// Runs the engine, the independent checker and coqc, and writes the proof graph (JSON, HTML, Coq). The Coq checker
/// comes from the caller (sandboxed, through the soundness gate); null skips coqc.
/// </summary>
public sealed class GlRunner(IProofChecker? coq, ILoggerFactory? loggers = null)
{
    private readonly ILoggerFactory _loggers = loggers ?? NullLoggerFactory.Instance;

    public async Task<GlRunSummary> RunAsync(Theory theory, GlOptions options, string? outputDirectory, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var result = await Task.Run(() => new GlEngine(options, _loggers.CreateLogger<GlEngine>()).Run(theory, cancellationToken), cancellationToken);
        var checkClock = Stopwatch.StartNew();
        var checks = ProofChecker.CheckAll(theory, result.Proved).ToDictionary(c => c.Theorem, StringComparer.Ordinal);
        var phases = new Dictionary<string, long>(result.PhaseMilliseconds, StringComparer.Ordinal);
        phases["check"] = checkClock.ElapsedMilliseconds;
        var coqSource = CoqExport.Render(theory, result.Proved);
        bool? coqOk = null;
        string? coqError = null;
        if (coq is not null)
        {
            checkClock.Restart();
            (coqOk, coqError) = await CheckCoqAsync(coq, coqSource, cancellationToken);
            phases["coq"] = checkClock.ElapsedMilliseconds;
        }

        if (outputDirectory is not null)
        {
            Write(outputDirectory, theory, result.Proved, checks, coqOk, coqSource);
        }

        var theorems = result.Proved.Select(t => new GlTheoremSummary(t.Name, t.Statement.ToMpl(theory), checks[t.Name].Valid, coqOk, t.RedundantGiven is not null)).ToList();
        return new GlRunSummary(result.Generated, result.Proved.Count, theorems, clock.ElapsedMilliseconds)
        {
            PhaseMilliseconds = phases,
            CoqError = coqError,
            Unproved = result.Unproved.Count,
        };
    }

    public async Task<GlCheckSummary> CheckAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, "proofs.json");
        if (!File.Exists(path))
        {
            throw new GlInputException($"no proof graph: {path} does not exist");
        }

        var (theory, theorems) = GlExports.Read(await File.ReadAllTextAsync(path, cancellationToken), path);
        var outcomes = ProofChecker.CheckAll(theory, theorems);
        bool? coqOk = null;
        string? coqError = null;
        if (coq is not null)
        {
            (coqOk, coqError) = await CheckCoqAsync(coq, CoqExport.Render(theory, theorems), cancellationToken);
        }

        return new GlCheckSummary(outcomes.Count, outcomes.Count(o => o.Valid), outcomes, coqOk, coqError);
    }

    public static async Task<(bool? Ok, string? Error)> CheckCoqAsync(IProofChecker coq, string source, CancellationToken cancellationToken)
    {
        var task = new ProofTask(ProofLanguage.Coq, source).WithFileName("GlTheorems.v")
            .WithBudget(ResourceBudget.Default.WithWallClock(TimeSpan.FromSeconds(300)).WithMemory(4L * 1024 * 1024 * 1024));
        var check = await coq.CheckAsync(task, cancellationToken);
        return check.Verdict switch
        {
            Verdict.Proved => (true, null),
            Verdict.Unavailable u => (null, "coqc unavailable: " + u),
            var v => (false, v + " " + string.Join("; ", check.Diagnostics.Take(3).Select(d => d.ToString()))),
        };
    }

    private static void Write(string dir, Theory theory, IReadOnlyList<ProvedTheorem> proved, IReadOnlyDictionary<string, CheckOutcome> checks, bool? coqOk, string coqSource)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "proofs.json"), GlExports.ToJson(GlExports.Graph(theory, proved)));
        File.WriteAllText(Path.Combine(dir, "GlTheorems.v"), coqSource);
        var html = Path.Combine(dir, "html");
        Directory.CreateDirectory(html);
        foreach (var (name, text) in GlExports.Html(theory, proved, checks, coqOk))
        {
            File.WriteAllText(Path.Combine(html, name), text);
        }
    }
}
