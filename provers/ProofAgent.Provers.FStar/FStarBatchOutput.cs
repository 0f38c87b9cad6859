using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ProofAgent.Provers.FStar;

/// <summary>
/// Reads <c>fstar.exe</c> batch output in its three shapes: recent human format <c>* Error 19 at F.fst:6.3-6.9:</c>
/// (1-based columns) with <c>  - </c> bullet lines, the 2023–2024 format <c>* Error 19 at F.fst(6,2-6,8):</c> and the
/// older <c>F.fst(6,2-6,8): (Error 19) text</c> (0-based columns), and <c>--message_format json</c> lines (0-based columns).
/// Diagnostics come out as 1-based lines and 1-based code-point columns.
/// </summary>
public static partial class FStarBatchOutput
{
    /// <summary>A parsed message: level as printed (<c>Error</c>, <c>Warning</c>, <c>Info</c>), number, file and diagnostic.</summary>
    public sealed record Message(string Level, int? Number, string? File, Diagnostic Diagnostic)
    {
        public bool IsError => Level.Equals("Error", StringComparison.OrdinalIgnoreCase);
    }

    public static IReadOnlyList<Message> Parse(string output)
    {
        var messages = new List<Message>();
        var lines = output.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith('{') && TryJson(line) is { } json)
            {
                messages.Add(json);
                continue;
            }

            var header = StarHeader().Match(line);
            if (header.Success)
            {
                var body = new StringBuilder();
                while (i + 1 < lines.Length && (lines[i + 1].StartsWith("  ", StringComparison.Ordinal) || lines[i + 1].Length == 0) && !StarHeader().IsMatch(lines[i + 1]))
                {
                    i++;
                    var text = lines[i].Trim();
                    if (text.Length == 0)
                    {
                        if (i + 1 < lines.Length && !lines[i + 1].StartsWith("  ", StringComparison.Ordinal))
                        {
                            break;
                        }

                        continue;
                    }

                    if (text.StartsWith("- ", StringComparison.Ordinal))
                    {
                        body.Append(body.Length > 0 ? "\n" : string.Empty).Append(text[2..]);
                    }
                    else
                    {
                        body.Append(body.Length > 0 ? " " : string.Empty).Append(text);
                    }
                }

                messages.Add(Make(header.Groups["level"].Value, header.Groups["number"].Value, header, body.ToString()));
                continue;
            }

            var old = OldLine().Match(line);
            if (old.Success)
            {
                messages.Add(Make(old.Groups["level"].Value, old.Groups["number"].Value, old, old.Groups["text"].Value.Trim()));
            }
        }

        return messages;
    }

    /// <summary>True when the output says every module verified.</summary>
    public static bool ReportsSuccess(string output) =>
        output.Contains("All verification conditions discharged successfully", StringComparison.Ordinal) ||
        output.Contains("Verified module:", StringComparison.Ordinal);

    private static Message Make(string level, string number, Match where, string text)
    {
        var file = where.Groups["file"].Value;
        var oneBased = where.Groups["dot"].Success;
        int Num(string group) => int.Parse(where.Groups[group].Value, CultureInfo.InvariantCulture);
        var line = Num("l1");
        var column = Num("c1") + (oneBased ? 0 : 1);
        var endLine = Num("l2");
        var endColumn = Num("c2") + (oneBased ? 0 : 1);
        return new Message(level, number.Length > 0 ? int.Parse(number, CultureInfo.InvariantCulture) : null, file,
            new Diagnostic(Severity(level), line, column, text, endLine, endColumn));
    }

    private static Message? TryJson(string line)
    {
        try
        {
            if (JsonNode.Parse(line) is not JsonObject obj || obj["level"] is not JsonValue levelValue || !levelValue.TryGetValue<string>(out var level))
            {
                return null;
            }

            var text = obj["msg"] is JsonArray parts ? string.Join("\n", parts.Select(p => p?.ToString())) : obj["msg"]?.ToString() ?? string.Empty;
            var number = obj["number"] is JsonValue n && n.TryGetValue<int>(out var value) ? value : (int?)null;
            var use = obj["range"]?["use"] as JsonObject ?? obj["range"]?["def"] as JsonObject;
            if (use is null)
            {
                return new Message(level, number, null, new Diagnostic(Severity(level), 0, 0, text));
            }

            var start = use["start_pos"];
            var end = use["end_pos"];
            return new Message(level, number, use["file_name"]?.ToString(), new Diagnostic(
                Severity(level),
                start?["line"]?.GetValue<int>() ?? 0,
                (start?["col"]?.GetValue<int>() ?? -1) + 1,
                text,
                end?["line"]?.GetValue<int>(),
                end?["col"]?.GetValue<int>() + 1));
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static DiagnosticSeverity Severity(string level) => level.ToLowerInvariant() switch
    {
        "error" => DiagnosticSeverity.Error,
        "warning" => DiagnosticSeverity.Warning,
        _ => DiagnosticSeverity.Information,
    };

    [GeneratedRegex(@"^\* (?<level>Error|Warning|Info)(?: (?<number>\d+))? at (?<file>[^\s:()]+)(?:(?<dot>:)(?<l1>\d+)\.(?<c1>\d+)-(?<l2>\d+)\.(?<c2>\d+)|\((?<l1>\d+),(?<c1>\d+)-(?<l2>\d+),(?<c2>\d+)\)):\s*$")]
    private static partial Regex StarHeader();

    [GeneratedRegex(@"^(?<file>[^\s()]+)\((?<l1>\d+),(?<c1>\d+)-(?<l2>\d+),(?<c2>\d+)\)\s*:\s*\((?<level>Error|Warning|Info)(?: (?<number>\d+))?\)(?<text>.*)$")]
    private static partial Regex OldLine();
}
