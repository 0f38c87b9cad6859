
using ProofAgent.Provers;
using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Smt;

// Process-heavy tests (coqc, z3) on 2 cores: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace ProofAgent.Synthesis.Tests;

/// <summary>Real tools for the tests, and facts that skip with a visible reason when a tool is missing.</summary>
internal static class Tools
{
    public static bool Has(string binary) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, binary)));

    public static ISmtSolver Z3() => ProcessSmtSolver.Z3(new ProcessRunner());

    /// <summary>One long-lived z3 process (dispose it).</summary>
    public static SmtSession Z3Session(SmtSessionOptions? options = null) => SmtSession.Z3(new ProcessRunner(), session: options);

    public static CoqChecker Coq() => new(CoqOptions.Default, new ProcessRunner());

    public static async Task<CheckResult> CheckCoqAsync(string source, CancellationToken cancellationToken = default) =>
        await Coq().CheckAsync(new ProofTask(ProofLanguage.Coq, source).WithBudget(ResourceBudget.Default.WithWallClock(TimeSpan.FromSeconds(120))), cancellationToken);

    /// <summary>The repository root (the folder holding Agent.sln).</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Agent.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Agent.sln not found above " + AppContext.BaseDirectory);
    }
}

public sealed class RequiresToolFactAttribute : FactAttribute
{
    public RequiresToolFactAttribute(string binary)
    {
        if (!Tools.Has(binary))
        {
            Skip = $"{binary} is not on PATH (installed by .ci/run)";
        }
    }
}
