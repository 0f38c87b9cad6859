namespace ProofAgent.Provers;

public enum DiagnosticSeverity
{
    Error,
    Warning,
    Information,
}

/// <summary>
/// A message from a prover, located in the user's text. Unit, for every prover: <see cref="Line"/> and
/// <see cref="Column"/> are 1-based, and columns count Unicode code points (not bytes, not UTF-16 units,
/// not Isabelle symbols); each adapter converts its prover's native unit. 0 means "no position".
/// </summary>
public sealed record Diagnostic(
    DiagnosticSeverity Severity,
    int Line,
    int Column,
    string Message,
    int? EndLine = null,
    int? EndColumn = null)
{
    public static Diagnostic Error(string message, int line = 0, int column = 0) =>
        new(DiagnosticSeverity.Error, line, column, message);

    public override string ToString() =>
        Line > 0 ? $"{Line}:{Column}: {Severity.ToString().ToLowerInvariant()}: {Message}" : $"{Severity.ToString().ToLowerInvariant()}: {Message}";
}
