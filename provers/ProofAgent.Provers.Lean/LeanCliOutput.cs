using System.Globalization;
using System.Text.RegularExpressions;

namespace ProofAgent.Provers.Lean;

/// <summary>
/// Reads the messages of <c>lean FILE</c> / <c>lake env lean FILE</c>: <c>file:line:col: severity: text</c>, or with
/// <c>-DprintMessageEndPos=true</c> <c>file:line:col-endline:endcol: severity: text</c>. Lines without a prefix continue the
/// message above. Lean's columns are 0-based code points; the results are <see cref="LeanMessage"/>s in Lean's own unit.
/// </summary>
public static partial class LeanCliOutput
{
    /// <summary>
    /// Reads the messages. With <paramref name="fileName"/> (the path given to Lean), only lines prefixed with exactly that path
    /// start a message: a message whose text contains a look-alike line (a candidate's <c>trace</c>) cannot forge another.
    /// </summary>
    public static IReadOnlyList<LeanMessage> Parse(string output, string? fileName = null)
    {
        var messages = new List<LeanMessage>();
        DiagnosticSeverity? severity = null;
        LeanPosition position = default;
        LeanPosition? end = null;
        var text = new StringBuilder();
        foreach (var line in output.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var header = Header().Match(line);
            if (header.Success && fileName is not null && !string.Equals(header.Groups["file"].Value, fileName, StringComparison.Ordinal))
            {
                header = Match.Empty;
            }

            var bare = header.Success ? null : BareHeader().Match(line);
            if (bare is { Success: true } && fileName is not null && (bare.Groups["file"].Success || severity is not null))
            {
                bare = Match.Empty;
            }

            if (header.Success || bare is { Success: true })
            {
                Flush();
                var match = header.Success ? header : bare!;
                severity = match.Groups["sev"].Value switch
                {
                    "error" => DiagnosticSeverity.Error,
                    "warning" => DiagnosticSeverity.Warning,
                    _ => DiagnosticSeverity.Information,
                };
                position = header.Success ? new LeanPosition(Int(match, "line"), Int(match, "col")) : default;
                end = header.Success && match.Groups["eline"].Success ? new LeanPosition(Int(match, "eline"), Int(match, "ecol")) : null;
                text.Clear().Append(match.Groups["msg"].Value);
            }
            else if (severity is not null)
            {
                text.Append('\n').Append(line);
            }
        }

        Flush();
        return messages;

        void Flush()
        {
            if (severity is { } s)
            {
                messages.Add(new LeanMessage(s, position, end, text.ToString().TrimEnd('\n')));
            }

            severity = null;
        }
    }

    private static int Int(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<file>[^\n]*?):(?<line>\d+):(?<col>\d+)(?:-(?<eline>\d+):(?<ecol>\d+))?: (?<sev>error|warning|info|information)(?:\([^)]*\))?: ?(?<msg>.*)$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^(?:(?<file>[^\s:]+): )?(?<sev>error|warning|info|information): (?<msg>.*)$")]
    private static partial Regex BareHeader();
}
