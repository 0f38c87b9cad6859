using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ProofAgent.Provers.Coq;

/// <summary>
/// Reads coqc's messages: <c>File "x.v", line L, characters A-B:</c> followed by <c>Error: ...</c> or <c>Warning: ...</c>.
/// Coq counts characters as UTF-8 bytes from the start of line L; they are converted to the service's unit
/// (1-based columns in Unicode code points) against the checked source.
/// </summary>
public static partial class CoqDiagnostics
{
    public static IReadOnlyList<Diagnostic> Parse(string output, string source)
    {
        var lines = source.Split('\n');
        var diagnostics = new List<Diagnostic>();
        (int Line, int Start, int End)? location = null;
        var message = new StringBuilder();

        void Flush()
        {
            var text = message.ToString().Trim();
            message.Clear();
            if (text.Length == 0)
            {
                location = null;
                return;
            }

            var severity = text.StartsWith("Warning:", StringComparison.Ordinal) ? DiagnosticSeverity.Warning
                : text.StartsWith("Error:", StringComparison.Ordinal) ? DiagnosticSeverity.Error
                : DiagnosticSeverity.Information;
            if (location is { } at)
            {
                var (column, endLine, endColumn) = Convert(lines, at.Line, at.Start, at.End);
                diagnostics.Add(new Diagnostic(severity, at.Line, column, text, endLine, endColumn));
            }
            else
            {
                diagnostics.Add(new Diagnostic(severity, 0, 0, text));
            }

            location = null;
        }

        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var header = Header().Match(line);
            if (header.Success)
            {
                Flush();
                location = (
                    int.Parse(header.Groups["line"].Value, CultureInfo.InvariantCulture),
                    int.Parse(header.Groups["start"].Value, CultureInfo.InvariantCulture),
                    int.Parse(header.Groups["end"].Value, CultureInfo.InvariantCulture));
                continue;
            }

            if ((line.StartsWith("Error:", StringComparison.Ordinal) || line.StartsWith("Warning:", StringComparison.Ordinal)) && message.Length > 0)
            {
                // A new message without its own location.
                var keep = location;
                Flush();
                location = keep is null ? null : location;
            }

            message.AppendLine(line);
        }

        Flush();
        return diagnostics;
    }

    /// <summary>Byte offsets relative to a 1-based line → 1-based code-point columns (and the end's line and column).</summary>
    internal static (int Column, int EndLine, int EndColumn) Convert(string[] lines, int line, int startByte, int endByte)
    {
        if (line < 1 || line > lines.Length)
        {
            return (startByte + 1, line, endByte + 1);
        }

        var column = CodePointsInBytes(lines[line - 1], startByte) + 1;
        var remaining = endByte;
        var endLine = line;
        while (endLine <= lines.Length)
        {
            var length = Encoding.UTF8.GetByteCount(lines[endLine - 1].TrimEnd('\r')) + 1; // + the newline
            if (remaining < length || endLine == lines.Length)
            {
                return (column, endLine, CodePointsInBytes(lines[endLine - 1], remaining) + 1);
            }

            remaining -= length;
            endLine++;
        }

        return (column, line, column);
    }

    /// <summary>How many code points the first <paramref name="bytes"/> UTF-8 bytes of <paramref name="text"/> hold.</summary>
    internal static int CodePointsInBytes(string text, int bytes)
    {
        var count = 0;
        var used = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (used >= bytes)
            {
                break;
            }

            used += rune.Utf8SequenceLength;
            count++;
        }

        return count + Math.Max(0, bytes - used);
    }

    [GeneratedRegex("""^File "(?<file>[^"]*)", line (?<line>\d+), characters (?<start>\d+)-(?<end>\d+):$""")]
    private static partial Regex Header();
}
