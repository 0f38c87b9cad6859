using Microsoft.Extensions.Logging;

namespace ProofAgent.Cli.Infrastructure;

/// <summary>
/// <c>--log-level</c> for the commands that log (<c>lsp</c>, <c>bench</c>): one line an event, all of it on stderr, since
/// stdout carries the command's result (or, for <c>lsp</c>, the protocol).
/// </summary>
public static class LogOption
{
    public static Option<LogLevel> Create(string description) =>
        new("--log-level") { Description = description, DefaultValueFactory = _ => LogLevel.Warning };

    /// <summary>The loggers of one run, at the level the command line chose.</summary>
    public static ILoggerFactory Loggers(ParseResult parse, Option<LogLevel> level) => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(parse.GetValue(level))
        .AddSimpleConsole(o => o.SingleLine = true)
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
}
