using ProofAgent.Syntax;

namespace ProofAgent.Provers.Smt;

/// <summary>One top-level command of an SMT-LIB script, with where it stands in the user's text (1-based line and column).</summary>
public sealed record SmtCommand(string Name, SExpr Expression, string Text, int Line, int Column);

/// <summary>A script that breaks the rules a checked script must follow: what and where.</summary>
public sealed class SmtScriptException(string message, int line, int column) : FormatException(message)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}

/// <summary>
/// Reads an SMT-LIB 2.6 script as data: a list of commands with their positions, never as a program that talks to the
/// service. Comments (<c>;</c>), string literals (<c>""</c> escapes) and quoted symbols (<c>|...|</c>) follow SMT-LIB.
/// </summary>
public static class SmtScript
{
    /// <summary>Splits <paramref name="text"/> into its top-level commands; throws <see cref="SmtScriptException"/> on malformed text.</summary>
    public static IReadOnlyList<SmtCommand> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var commands = new List<SmtCommand>();
        var depth = 0;
        var start = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case ';':
                    while (i < text.Length && text[i] != '\n')
                    {
                        i++;
                    }

                    break;
                case '"':
                    i = Skip(text, i, '"', doubledEscape: true);
                    break;
                case '|':
                    i = Skip(text, i, '|', doubledEscape: false);
                    break;
                case '(':
                    if (depth == 0)
                    {
                        start = i;
                    }

                    depth++;
                    break;
                case ')':
                    if (depth == 0)
                    {
                        throw Error(text, i, "unbalanced ')'");
                    }

                    if (--depth == 0)
                    {
                        commands.Add(Command(text, start, i + 1));
                    }

                    break;
                default:
                    if (depth == 0 && !char.IsWhiteSpace(c))
                    {
                        throw Error(text, i, $"'{c}' outside a command: every SMT-LIB command is a parenthesized list");
                    }

                    break;
            }
        }

        if (depth > 0)
        {
            throw Error(text, start, "this command is never closed");
        }

        return commands;
    }

    private static SmtCommand Command(string text, int start, int end)
    {
        var body = text[start..end];
        SExpr expression;
        try
        {
            expression = SExpr.ParseAll(body) is [var single] ? single : throw Error(text, start, "a command must be one list");
        }
        catch (FormatException exception) when (exception is not SmtScriptException)
        {
            throw Error(text, start, exception.Message);
        }

        var (line, column) = SourcePosition.Of(text, start);
        return new SmtCommand(expression.Head ?? string.Empty, expression, body, line, column);
    }

    private static int Skip(string text, int open, char close, bool doubledEscape)
    {
        for (var i = open + 1; i < text.Length; i++)
        {
            if (text[i] != close)
            {
                continue;
            }

            if (doubledEscape && i + 1 < text.Length && text[i + 1] == close)
            {
                i++;
                continue;
            }

            return i;
        }

        throw Error(text, open, close == '"' ? "unterminated string literal" : "unterminated quoted symbol");
    }

    private static SmtScriptException Error(string text, int offset, string message)
    {
        var (line, column) = SourcePosition.Of(text, offset);
        return new SmtScriptException($"line {line}, column {column}: {message}", line, column);
    }

}
