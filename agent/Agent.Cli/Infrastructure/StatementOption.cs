namespace ProofAgent.Cli.Infrastructure;

/// <summary>
/// <c>--statement FILE</c> of <c>agent check</c>, and of <c>agent bench check</c>, which passes it on to the <c>agent check</c>
/// runs it measures: one option, so that both read it the same way.
/// </summary>
public static class StatementOption
{
    public static Option<string?> Statement { get; } = new("--statement")
    {
        Description = "A file stating the theorem(s) the proof must prove, exactly (checked by the prover).",
    };

    /// <summary>The statement file's full path and its text (an error names the path as given), or nulls when the option is absent.</summary>
    public static (string? FullPath, string? Text) Read(ParseResult parse) =>
        parse.GetValue(Statement) is { } path ? (Path.GetFullPath(path), CommandRunner.ReadUserFile(path, "statement file")) : (null, null);
}
