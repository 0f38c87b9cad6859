using System.Globalization;
using System.Text.Json;

namespace ProofAgent.Provers.Lean;

/// <summary>
/// A position as Lean reports it: line 1-based, column 0-based in Unicode code points (Lean's <c>Position</c>).
/// Line 0 means "no position" (tactic-mode messages carry <c>0:0</c>).
/// </summary>
public readonly record struct LeanPosition(int Line, int Column)
{
    public bool IsKnown => Line > 0;

    /// <summary>The documented unit of <see cref="Diagnostic"/>: line 1-based (shifted by <paramref name="lineOffset"/>), column 1-based in code points.</summary>
    public (int Line, int Column) ToDiagnosticUnit(int lineOffset = 0) => IsKnown ? (Line + lineOffset, Column + 1) : (0, 0);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Line}:{Column}");
}

/// <summary>One message of a REPL response (<c>severity</c>, <c>pos</c>, <c>endPos</c>, <c>data</c>).</summary>
public sealed record LeanMessage(DiagnosticSeverity Severity, LeanPosition Pos, LeanPosition? EndPos, string Data)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>The sorry warning, in both wordings: <c>declaration uses 'sorry'</c> (until v4.27) and <c>declaration uses `sorry`</c>.</summary>
    public bool IsSorryWarning => LeanText.IsSorryWarning(Data);

    public Diagnostic ToDiagnostic(int lineOffset = 0)
    {
        var (line, column) = Pos.ToDiagnosticUnit(lineOffset);
        (int Line, int Column)? end = EndPos is { IsKnown: true } e ? e.ToDiagnosticUnit(lineOffset) : null;
        return new Diagnostic(Severity, line, column, Data, end?.Line, end?.Column);
    }
}

/// <summary>A <c>sorry</c> found while elaborating; <see cref="ProofState"/> lets tactic mode continue from it. Tactic-mode sorries have no position (0:0).</summary>
public sealed record LeanSorry(int? ProofState, LeanPosition Pos, LeanPosition? EndPos, string Goal);

/// <summary>One entry of <c>tactics</c> (with <c>allTactics: true</c>).</summary>
public sealed record LeanTacticInfo(string Tactic, string Goals, int? ProofState, LeanPosition Pos, LeanPosition? EndPos, IReadOnlyList<string> UsedConstants);

/// <summary>A REPL answer. Closed: switch on the type.</summary>
public abstract record LeanReplResponse
{
    private LeanReplResponse()
    {
    }

    public IReadOnlyList<LeanMessage> Messages { get; init; } = [];

    public IReadOnlyList<LeanSorry> Sorries { get; init; } = [];

    /// <summary>Answer to <c>{"cmd"}</c>, <c>{"path"}</c>, pickling: the new environment's id.</summary>
    public sealed record Command(int Env) : LeanReplResponse
    {
        public IReadOnlyList<LeanTacticInfo> Tactics { get; init; } = [];
    }

    /// <summary>Answer to <c>{"tactic","proofState"}</c>. <see cref="ProofStatus"/> exists since REPL PR #63 (absent on v4.15).</summary>
    public sealed record Tactic(int ProofState, IReadOnlyList<string> Goals, string? ProofStatus) : LeanReplResponse
    {
        public IReadOnlyList<string> Traces { get; init; } = [];

        /// <summary>
        /// True only when Lean itself says the proof is complete: <c>proofStatus: "Completed"</c>, or (old REPLs without a status)
        /// no goal and no error. Still only a search signal: acceptance needs the whole-file check.
        /// </summary>
        public bool IsFinished =>
            Goals.Count == 0 && !Messages.Any(m => m.IsError) && Sorries.Count == 0 &&
            (ProofStatus is null ? true : string.Equals(ProofStatus, "Completed", StringComparison.Ordinal));
    }

    /// <summary>The REPL refused the request (<c>{"message": "Unknown environment."}</c>, <c>"Lean error:\n..."</c>).</summary>
    public sealed record Error(string Message) : LeanReplResponse;

    public bool HasErrors => this is Error || Messages.Any(m => m.IsError);
}

/// <summary>One entry of a kimina <c>/verify</c> answer: the REPL response, or the server's error.</summary>
public sealed record KiminaVerifyResult(string CustomId, string? Error, LeanReplResponse? Response, double? TimeSeconds);

/// <summary>The REPL wrote something that is not a response of its protocol.</summary>
public sealed class LeanProtocolException(string message, Exception? inner = null) : FormatException(message, inner);

/// <summary>Reads REPL responses (one JSON object per blank-line-delimited frame) into <see cref="LeanReplResponse"/>.</summary>
public static class LeanReplReader
{
    /// <summary>Parses one frame. Throws <see cref="LeanProtocolException"/> naming what is wrong and where.</summary>
    public static LeanReplResponse Parse(string frame) => Parse(frame, envOptional: false);

    /// <summary>
    /// Reads kimina-lean-server's <c>POST /verify</c> answer (<c>{"results":[{"custom_id", "error", "response"}]}</c>). Its
    /// responses are REPL command responses without <c>env</c> (reported as -1), with the server's <c>time</c>; positions are
    /// relative to the body after the server stripped the import header.
    /// </summary>
    public static IReadOnlyList<KiminaVerifyResult> ParseVerifyResponse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
            {
                throw new LeanProtocolException($"a kimina /verify answer must have a 'results' array: {Preview(json)}");
            }

            return [.. results.EnumerateArray().Select(r => new KiminaVerifyResult(
                OptionalString(r, "custom_id") ?? string.Empty,
                OptionalString(r, "error"),
                r.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object ? Parse(response.GetRawText(), envOptional: true) : null,
                r.TryGetProperty("response", out var timed) && timed.ValueKind == JsonValueKind.Object && timed.TryGetProperty("time", out var time) && time.ValueKind == JsonValueKind.Number ? time.GetDouble() : null))];
        }
        catch (JsonException exception)
        {
            throw new LeanProtocolException($"malformed kimina /verify answer: {exception.Message}", exception);
        }
    }

    private static LeanReplResponse Parse(string frame, bool envOptional)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame);
        }
        catch (JsonException exception)
        {
            throw new LeanProtocolException(
                $"malformed Lean REPL response (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine}): {exception.Message.Split('.')[0]}; the frame begins {Preview(frame)}",
                exception);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new LeanProtocolException($"a Lean REPL response must be a JSON object, got {root.ValueKind}: {Preview(frame)}");
            }

            var messages = ReadArray(root, "messages", ReadMessage);
            var sorries = ReadArray(root, "sorries", ReadSorry);
            if (root.TryGetProperty("proofState", out var proofState) && root.TryGetProperty("goals", out var goals))
            {
                return new LeanReplResponse.Tactic(ReadInt(proofState, "proofState"), ReadStrings(goals, "goals"), OptionalString(root, "proofStatus"))
                {
                    Messages = messages,
                    Sorries = sorries,
                    Traces = root.TryGetProperty("traces", out var traces) ? ReadStrings(traces, "traces") : [],
                };
            }

            if (root.TryGetProperty("env", out var env))
            {
                return new LeanReplResponse.Command(ReadInt(env, "env"))
                {
                    Messages = messages,
                    Sorries = sorries,
                    Tactics = ReadArray(root, "tactics", ReadTactic),
                };
            }

            if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                return new LeanReplResponse.Error(message.GetString()!);
            }

            if (envOptional)
            {
                return new LeanReplResponse.Command(-1) { Messages = messages, Sorries = sorries, Tactics = ReadArray(root, "tactics", ReadTactic) };
            }

            throw new LeanProtocolException($"a Lean REPL response has neither 'env', 'proofState'+'goals' nor 'message': {Preview(frame)}");
        }
    }

    /// <summary>Splits a recorded REPL stdout (objects separated by blank lines) and parses each frame.</summary>
    public static IReadOnlyList<LeanReplResponse> ParseTranscript(string text)
    {
        var decoder = new Processes.BlankLineFrameDecoder();
        var frames = decoder.Decode(text.EndsWith('\n') ? text + "\n" : text + "\n\n").ToList();
        if (decoder.Pending.Trim().Length > 0)
        {
            throw new LeanProtocolException($"truncated Lean REPL output: an unterminated frame remains: {Preview(decoder.Pending)}");
        }

        return [.. frames.Select(Parse)];
    }

    internal static string Preview(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 120 ? $"'{flat}'" : $"'{flat[..120]}…'";
    }

    private static LeanMessage ReadMessage(JsonElement element)
    {
        var severity = RequiredString(element, "severity", "message") switch
        {
            "error" => DiagnosticSeverity.Error,
            "warning" => DiagnosticSeverity.Warning,
            "info" or "information" => DiagnosticSeverity.Information,
            var other => throw new LeanProtocolException($"unknown message severity '{other}'"),
        };
        return new LeanMessage(severity, ReadPosition(element, "pos"), OptionalPosition(element, "endPos"), RequiredString(element, "data", "message"));
    }

    private static LeanSorry ReadSorry(JsonElement element) =>
        new(
            element.TryGetProperty("proofState", out var state) && state.ValueKind == JsonValueKind.Number ? state.GetInt32() : null,
            OptionalPosition(element, "pos") ?? default,
            OptionalPosition(element, "endPos"),
            RequiredString(element, "goal", "sorry"));

    private static LeanTacticInfo ReadTactic(JsonElement element) =>
        new(
            RequiredString(element, "tactic", "tactics entry"),
            OptionalString(element, "goals") ?? string.Empty,
            element.TryGetProperty("proofState", out var state) && state.ValueKind == JsonValueKind.Number ? state.GetInt32() : null,
            OptionalPosition(element, "pos") ?? default,
            OptionalPosition(element, "endPos"),
            element.TryGetProperty("usedConstants", out var used) ? ReadStrings(used, "usedConstants") : []);

    private static LeanPosition ReadPosition(JsonElement element, string name) =>
        OptionalPosition(element, name) ?? throw new LeanProtocolException($"a message or sorry lacks '{name}'");

    private static LeanPosition? OptionalPosition(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var position) || position.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (position.ValueKind != JsonValueKind.Object || !position.TryGetProperty("line", out var line) || !position.TryGetProperty("column", out var column))
        {
            throw new LeanProtocolException($"'{name}' must be an object with 'line' and 'column', got {Preview(position.GetRawText())}");
        }

        return new LeanPosition(ReadInt(line, name + ".line"), ReadInt(column, name + ".column"));
    }

    private static IReadOnlyList<T> ReadArray<T>(JsonElement root, string name, Func<JsonElement, T> read)
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new LeanProtocolException($"'{name}' must be an array, got {array.ValueKind}");
        }

        return [.. array.EnumerateArray().Select(read)];
    }

    private static IReadOnlyList<string> ReadStrings(JsonElement array, string name) =>
        array.ValueKind == JsonValueKind.Array && array.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? [.. array.EnumerateArray().Select(e => e.GetString()!)]
            : throw new LeanProtocolException($"'{name}' must be an array of strings, got {Preview(array.GetRawText())}");

    private static int ReadInt(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value)
            ? value
            : throw new LeanProtocolException($"'{name}' must be an integer, got {Preview(element.GetRawText())}");

    private static string RequiredString(JsonElement element, string name, string owner) =>
        OptionalString(element, name) ?? throw new LeanProtocolException($"a {owner} lacks the string field '{name}'");

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
