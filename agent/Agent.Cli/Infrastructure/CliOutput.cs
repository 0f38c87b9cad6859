using Spectre.Console;

namespace ProofAgent.Cli.Infrastructure;

/// <summary>
/// Where a command writes. With <c>--json</c>, stdout carries exactly one JSON object (or JSON Lines for streams)
/// and everything meant for people goes to stderr; without it, people read stdout.
/// </summary>
public sealed class CliOutput
{
    private readonly TextWriter _stdout;

    public CliOutput(bool json, TextWriter stdout, TextWriter stderr)
    {
        Json = json;
        _stdout = stdout;
        var humanWriter = json ? stderr : stdout;
        Human = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(humanWriter),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
        });
        Error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });

        // Redirected output is read by programs and logs: never wrap it at an imagined terminal width.
        if (Console.IsOutputRedirected || json)
        {
            Human.Profile.Width = 1000;
        }

        if (Console.IsErrorRedirected)
        {
            Error.Profile.Width = 1000;
        }
    }

    /// <summary>True when <c>--json</c> was given.</summary>
    public bool Json { get; }

    /// <summary>Text for people: stdout normally, stderr under <c>--json</c>.</summary>
    public IAnsiConsole Human { get; }

    /// <summary>Always stderr.</summary>
    public IAnsiConsole Error { get; }

    /// <summary>Writes one JSON value as one line on stdout (call once per command, or once per record for JSON Lines).</summary>
    public void WriteJson<T>(T value)
    {
        _stdout.WriteLine(CliJson.Serialize(value));
        _stdout.Flush();
    }

    /// <summary>Writes a line for people (escaped: no Spectre markup is interpreted).</summary>
    public void Line(string text) => Human.WriteLine(text);

    /// <summary>Writes a line with Spectre markup for people.</summary>
    public void Markup(string markup) => Human.MarkupLine(markup);
}
