using ProofAgent.Provers;

namespace ProofAgent.Hosting.Reporting;

/// <summary>
/// The public JSON shape of a check, shared by <c>agent check --json</c> and <c>POST /v1/check</c>:
/// <c>{"file","language","verdict","reason","checkedBy","theorems","diagnostics","results","prover","elapsedMs"}</c>.
/// </summary>
public sealed record CheckReport(
    string? File,
    string Language,
    string Verdict,
    string? Reason,
    IReadOnlyList<string> CheckedBy,
    IReadOnlyList<CheckReport.TheoremEntry> Theorems,
    IReadOnlyList<CheckReport.DiagnosticEntry> Diagnostics,
    IReadOnlyList<string>? Results,
    CheckReport.ProverEntry Prover,
    long ElapsedMs)
{
    public sealed record TheoremEntry(string Name, string Verdict, IReadOnlyList<string> Axioms, string? Statement, IReadOnlyList<string> CheckedBy);

    public sealed record DiagnosticEntry(string Severity, int Line, int Column, string Message);

    public sealed record ProverEntry(string Name, string Version);

    public static CheckReport From(string? file, ProofLanguage language, CheckResult result) => new(
        file,
        language.Id(),
        result.Verdict.Name,
        result.Verdict.IsProved ? null : result.Verdict.Summary,
        result.CheckedBy,
        [.. result.Theorems.Select(t => new TheoremEntry(t.Name, t.Verdict.Name, t.Axioms, t.Statement, t.CheckedBy))],
        [.. result.Diagnostics.Select(d => new DiagnosticEntry(d.Severity.ToString().ToLowerInvariant(), d.Line, d.Column, d.Message))],
        result.SmtResults,
        new ProverEntry(result.Prover.Name, result.Prover.Version),
        (long)result.Usage.Elapsed.TotalMilliseconds);
}
