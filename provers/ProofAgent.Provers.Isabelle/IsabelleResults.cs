using System.Text.Json.Nodes;

namespace ProofAgent.Provers.Isabelle;

/// <summary>A source position as the server reports it: 1-based line, offsets counted in Isabelle symbols (1-based, end exclusive).</summary>
public sealed record IsabellePosition(int? Line, int? Offset, int? EndOffset, string? File);

/// <summary>A prover message (<c>writeln</c>, <c>warning</c>, <c>error</c>, ...) with its position.</summary>
public sealed record IsabelleProverMessage(string Kind, string Message, IsabellePosition? Position)
{
    public bool IsError => string.Equals(Kind, "error", StringComparison.Ordinal);
}

/// <summary>The PIDE status of one theory node (<c>node_status</c>).</summary>
public sealed record IsabelleNodeStatus(bool Ok, int Total, int Unprocessed, int Running, int Warned, int Failed, int Finished, bool Canceled, bool Consolidated, int Percentage);

/// <summary>One theory node of a <c>use_theories</c> result.</summary>
public sealed record IsabelleNodeResult(string NodeName, string TheoryName, IsabelleNodeStatus Status, IReadOnlyList<IsabelleProverMessage> Messages);

/// <summary>
/// The result of <c>use_theories</c>. A failed proof still arrives as <c>FINISHED</c>: failure is <see cref="Ok"/> false,
/// <see cref="Errors"/>, and node status <c>failed &gt; 0</c>.
/// </summary>
public sealed record UseTheoriesResult(bool Ok, IReadOnlyList<IsabelleProverMessage> Errors, IReadOnlyList<IsabelleNodeResult> Nodes)
{
    /// <summary>Every message of every node, in order.</summary>
    public IEnumerable<IsabelleProverMessage> AllMessages => Nodes.SelectMany(n => n.Messages);

    /// <summary>Reads the argument of a <c>FINISHED</c> reply to <c>use_theories</c>.</summary>
    public static UseTheoriesResult FromJson(JsonNode? json)
    {
        var obj = json as JsonObject ?? throw new FormatException("use_theories result: expected a JSON object");
        var ok = IsabelleJson.Bool(obj, "ok", "use_theories result");
        var errors = IsabelleJson.Array(obj, "errors", "use_theories result").Select(IsabelleJson.Message).ToList();
        var nodes = IsabelleJson.Array(obj, "nodes", "use_theories result").Select(IsabelleJson.Node).ToList();
        return new UseTheoriesResult(ok, errors, nodes);
    }
}

/// <summary>The result of <c>session_start</c>: the session's id and its private temporary folder on the server side.</summary>
public sealed record IsabelleSessionStarted(string SessionId, string TmpDir, string? Task)
{
    public static IsabelleSessionStarted FromJson(JsonNode? json)
    {
        var obj = json as JsonObject ?? throw new FormatException("session_start result: expected a JSON object");
        return new IsabelleSessionStarted(
            IsabelleJson.String(obj, "session_id", "session_start result"),
            IsabelleJson.String(obj, "tmp_dir", "session_start result"),
            IsabelleJson.OptionalString(obj, "task"));
    }
}

internal static class IsabelleJson
{
    public static bool Bool(JsonObject obj, string field, string context) =>
        obj[field] is JsonValue value && value.TryGetValue<bool>(out var b) ? b : throw Missing(field, "a boolean", context);

    public static string String(JsonObject obj, string field, string context) =>
        OptionalString(obj, field) ?? throw Missing(field, "a string", context);

    public static string? OptionalString(JsonObject obj, string field) =>
        obj[field] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    public static int? OptionalInt(JsonObject obj, string field) =>
        obj[field] is JsonValue value && value.TryGetValue<int>(out var i) ? i : null;

    public static IEnumerable<JsonNode?> Array(JsonObject obj, string field, string context) =>
        obj[field] as JsonArray ?? throw Missing(field, "an array", context);

    public static IsabelleProverMessage Message(JsonNode? node)
    {
        var obj = node as JsonObject ?? throw new FormatException("message: expected a JSON object");
        var kind = String(obj, "kind", "message");
        var text = String(obj, "message", "message");
        IsabellePosition? position = null;
        if (obj["pos"] is JsonObject pos)
        {
            position = new IsabellePosition(OptionalInt(pos, "line"), OptionalInt(pos, "offset"), OptionalInt(pos, "end_offset"), OptionalString(pos, "file"));
        }

        return new IsabelleProverMessage(kind, text, position);
    }

    public static IsabelleNodeResult Node(JsonNode? node)
    {
        var obj = node as JsonObject ?? throw new FormatException("node: expected a JSON object");
        var status = obj["status"] as JsonObject ?? throw Missing("status", "an object", "node");
        var messages = obj["messages"] is JsonArray array ? array.Select(Message).ToList() : [];
        return new IsabelleNodeResult(
            String(obj, "node_name", "node"),
            String(obj, "theory_name", "node"),
            new IsabelleNodeStatus(
                Bool(status, "ok", "node status"),
                OptionalInt(status, "total") ?? 0,
                OptionalInt(status, "unprocessed") ?? 0,
                OptionalInt(status, "running") ?? 0,
                OptionalInt(status, "warned") ?? 0,
                OptionalInt(status, "failed") ?? 0,
                OptionalInt(status, "finished") ?? 0,
                status["canceled"] is JsonValue c && c.TryGetValue<bool>(out var canceled) && canceled,
                status["consolidated"] is JsonValue k && k.TryGetValue<bool>(out var consolidated) && consolidated,
                OptionalInt(status, "percentage") ?? 0),
            messages);
    }

    private static FormatException Missing(string field, string what, string context) =>
        new($"{context}: field '{field}' is missing or not {what}");
}
