using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProofAgent.Provers.FStar;

/// <summary>A source range as F* reports it: 1-based lines, 0-based columns (code points; F* lexes with sedlex).</summary>
public sealed record FStarRange(string FileName, int BeginLine, int BeginColumn, int EndLine, int EndColumn)
{
    /// <summary>In the service's unit: 1-based line and 1-based code-point column, end exclusive.</summary>
    public Diagnostic ToDiagnostic(DiagnosticSeverity severity, string message) =>
        new(severity, BeginLine, BeginColumn + 1, message, EndLine, EndColumn + 1);
}

/// <summary>One issue of an IDE response: level (<c>error</c>, <c>warning</c>, <c>info</c>), text, error number, ranges.</summary>
public sealed record FStarIssue(string Level, string Message, int? Number, IReadOnlyList<FStarRange> Ranges)
{
    public bool IsError => string.Equals(Level, "error", StringComparison.Ordinal);

    public DiagnosticSeverity Severity => Level switch
    {
        "error" => DiagnosticSeverity.Error,
        "warning" => DiagnosticSeverity.Warning,
        _ => DiagnosticSeverity.Information,
    };
}

/// <summary>One line of <c>fstar.exe --ide</c> output.</summary>
public abstract record FStarIdeFrame
{
    private FStarIdeFrame()
    {
    }

    /// <summary>The first line: protocol version and features.</summary>
    public sealed record ProtocolInfo(int? Version, IReadOnlyList<string> Features) : FStarIdeFrame;

    /// <summary>The answer to a query. <see cref="Status"/> is <c>success</c>, <c>failure</c> or <c>protocol-violation</c>.</summary>
    public sealed record Response(string QueryId, string Status, JsonNode? Body, IReadOnlyList<FStarIssue> Issues) : FStarIdeFrame
    {
        /// <summary>
        /// The query succeeded with no error issue. A lax <c>peek</c> (and a lax <c>push</c>) can answer
        /// <c>"status": "success"</c> while listing <c>"level": "error"</c> issues, so <see cref="Status"/> alone is never enough.
        /// </summary>
        public bool IsCleanSuccess => Status == "success" && !Issues.Any(i => i.IsError);

        public bool IsProtocolViolation => Status == "protocol-violation";
    }

    /// <summary>A message sent while a query runs (<c>progress</c>, <c>info</c>, <c>warning</c>, <c>error</c>, <c>proof-state</c>).</summary>
    public sealed record Message(string? QueryId, string Level, JsonNode? Contents) : FStarIdeFrame;

    /// <summary>A line that is not a protocol object; <see cref="Reason"/> says why.</summary>
    public sealed record Malformed(string Line, string Reason) : FStarIdeFrame;
}

/// <summary>Reads and writes the F* IDE JSON protocol (one JSON object per line).</summary>
public static class FStarIdeProtocol
{
    /// <summary>Parses one output line; never throws.</summary>
    public static FStarIdeFrame Parse(string line)
    {
        JsonObject? obj;
        try
        {
            obj = JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException exception)
        {
            return new FStarIdeFrame.Malformed(line, "not JSON: " + exception.Message);
        }

        if (obj is null)
        {
            return new FStarIdeFrame.Malformed(line, "not a JSON object");
        }

        var kind = Str(obj, "kind");
        switch (kind)
        {
            case "protocol-info":
                var features = obj["features"] is JsonArray array ? array.Select(f => f?.GetValue<string>() ?? string.Empty).ToList() : [];
                return new FStarIdeFrame.ProtocolInfo(Int(obj["version"]), features);
            case "response":
                var id = QueryId(obj);
                var status = Str(obj, "status");
                if (id is null || status is null)
                {
                    return new FStarIdeFrame.Malformed(line, "a response without query-id or status");
                }

                try
                {
                    var issues = obj["response"] is JsonArray items && items.All(i => i is JsonObject o && o["level"] is not null)
                        ? items.Select(i => Issue((JsonObject)i!)).ToList()
                        : [];
                    return new FStarIdeFrame.Response(id, status, obj["response"], issues);
                }
                catch (FormatException exception)
                {
                    return new FStarIdeFrame.Malformed(line, exception.Message);
                }

            case "message":
                return new FStarIdeFrame.Message(QueryId(obj), Str(obj, "level") ?? "info", obj["contents"]);
            default:
                return new FStarIdeFrame.Malformed(line, $"unknown kind '{kind ?? "(none)"}'");
        }
    }

    /// <summary>A query line: <c>{"query-id":..., "query":..., "args":...}</c> plus the newline.</summary>
    public static string Query(string queryId, string query, JsonObject args) =>
        new JsonObject { ["query-id"] = queryId, ["query"] = query, ["args"] = args }.ToJsonString() + "\n";

    /// <summary>The arguments of <c>push</c>/<c>peek</c>: kind <c>full</c> (verify) or <c>lax</c> (type-check only, never a proof).</summary>
    public static JsonObject PushArgs(string kind, string code, int line, int column) =>
        new() { ["kind"] = kind, ["code"] = code, ["line"] = line, ["column"] = column };

    /// <summary>Goals of a <c>proof-state</c> message's contents.</summary>
    public static IReadOnlyList<Goal> Goals(JsonNode? contents)
    {
        if (contents?["goals"] is not JsonArray goals)
        {
            return [];
        }

        return
        [
            .. goals.OfType<JsonObject>().Select(g => new Goal(
                g["hyps"] is JsonArray hyps
                    ? [.. hyps.OfType<JsonObject>().Select(h => new Hypothesis([Str(h, "name") ?? "_"], Str(h, "type") ?? string.Empty))]
                    : [],
                (g["goal"] as JsonObject) is { } goal ? Str(goal, "type") ?? string.Empty : string.Empty,
                (g["goal"] as JsonObject) is { } labelled && Str(labelled, "label") is { Length: > 0 } label ? label : null)),
        ];
    }

    private static FStarIssue Issue(JsonObject obj)
    {
        var ranges = obj["ranges"] is JsonArray array
            ? array.OfType<JsonObject>().Select(Range).ToList()
            : [];
        return new FStarIssue(Str(obj, "level") ?? "error", Str(obj, "message") ?? string.Empty, Int(obj["number"]), ranges);
    }

    private static FStarRange Range(JsonObject obj)
    {
        static (int, int) Pair(JsonNode? node) =>
            node is JsonArray { Count: 2 } pair && Int(pair[0]) is { } l && Int(pair[1]) is { } c
                ? (l, c)
                : throw new FormatException("a range position is not a [line, column] pair");
        var (bl, bc) = Pair(obj["beg"]);
        var (el, ec) = Pair(obj["end"]);
        return new FStarRange(Str(obj, "fname") ?? string.Empty, bl, bc, el, ec);
    }

    private static string? QueryId(JsonObject obj) => obj["query-id"] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<long>(out var n) => n.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string? Str(JsonObject obj, string field) => obj[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static int? Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;
}
