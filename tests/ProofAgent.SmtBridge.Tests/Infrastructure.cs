using System.Text.Json;
using ProofAgent.Grammars;
using ProofAgent.Provers;
using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Smt;
using Xunit;

namespace ProofAgent.SmtBridge.Tests;

internal static class Z3
{
    public static ISmtSolver Solver { get; } = ProcessSmtSolver.Z3(new ProcessRunner(new ResourceLimitIsolation()));

    public static ISmtSolver Cvc5 { get; } = ProcessSmtSolver.Cvc5(new ProcessRunner(new ResourceLimitIsolation()));

    public static TimeSpan SolverTimeout { get; } = TimeSpan.FromSeconds(20);

    public static SmtTranslation.Translated Translate(ProofLanguage language, string statement, SmtBridgeOptions? options = null)
    {
        var translation = SmtTranslator.Translate(StatementParser.Parse(language, statement), options);
        return Assert.IsType<SmtTranslation.Translated>(translation);
    }

    public static async Task<GoalVerdict> DecideAsync(ProofLanguage language, string statement, SmtBridgeOptions? options = null) =>
        await new SmtGoalOracle(Solver).DecideAsync(Translate(language, statement, options), SolverTimeout);

    public static async Task AssertValidAsync(ProofLanguage language, string statement, SmtBridgeOptions? options = null)
    {
        var verdict = await DecideAsync(language, statement, options);
        Assert.True(verdict is GoalVerdict.Valid, $"expected valid: {statement}\n got {verdict}\n{Translate(language, statement, options).Script}");
    }

    public static async Task<GoalVerdict.Counterexample> AssertCounterexampleAsync(ProofLanguage language, string statement, SmtBridgeOptions? options = null)
    {
        var verdict = await DecideAsync(language, statement, options);
        return Assert.IsType<GoalVerdict.Counterexample>(verdict);
    }

    /// <summary>The value Z3 computes for an integer or real SMT-LIB term (sat model of a constant pinned to it).</summary>
    public static async Task<string> EvaluateAsync(SmtTranslation.Translated translation)
    {
        var answer = await Solver.CheckSatAsync(new SmtQuery(translation.Declarations + $"(assert {translation.Hypotheses})\n") { Timeout = SolverTimeout });
        var sat = Assert.IsType<SmtAnswer.Sat>(answer);
        return sat.Model!.Values.First(kv => kv.Key == "v_r").Value;
    }
}

public static class SharedData
{
    /// <summary><c>../shared</c> beside the checkout when it holds <c>minif2f</c>, or null.</summary>
    public static string? Directory => TestPaths.SharedDirectoryHolding("minif2f");

    public static Dictionary<string, string> LeanStatements() =>
        File.ReadLines(Path.Combine(Directory!, "minif2f", "minif2f_lean4.jsonl"))
            .Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("formal_statement").GetString()!, StringComparer.Ordinal);
}

/// <summary>The installed Coq's own word on a fact the bridge models (a file compiled by the real <c>coqc</c>).</summary>
internal static class CoqFacts
{
    public static async Task<ProcessOutcome> CompileAsync(string source)
    {
        using var folder = JobFolder.Create("proofagent-smtbridge-coq-");
        await File.WriteAllTextAsync(folder.PathOf("Facts.v"), source);
        var spec = new ProcessSpec("coqc", ["Facts.v"]) { WorkingDirectory = folder.FullName };
        return await new ProcessRunner(new ResourceLimitIsolation()).RunAsync(spec, new ProcessLimits(TimeSpan.FromMinutes(2)) { MemoryBytes = 2L << 30 });
    }
}
