using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProofAgent.Provers.Isabelle;

/// <summary>The reply names of the Isabelle server protocol (system manual, "Input and output messages").</summary>
public enum IsabelleReplyKind
{
    /// <summary>Synchronous success (<c>OK</c>).</summary>
    Ok,

    /// <summary>Synchronous failure (<c>ERROR</c>).</summary>
    Error,

    /// <summary>Asynchronous notification of a task (<c>NOTE</c>).</summary>
    Note,

    /// <summary>Asynchronous task result (<c>FINISHED</c>).</summary>
    Finished,

    /// <summary>Asynchronous task failure (<c>FAILED</c>).</summary>
    Failed,

    /// <summary>A line that is not a protocol reply (for example the console's <c>server "name" = host:port</c> banner).</summary>
    Other,

    /// <summary>Output the decoder could not frame (a bad length line, a block cut inside a character, an oversized message).</summary>
    Malformed,
}

/// <summary>
/// One framed server message: <c>NAME ARGUMENT</c>, where NAME is the longest prefix of ASCII letters, digits, <c>_</c>
/// and <c>.</c>, then blanks, then the argument (empty, JSON or YXML).
/// </summary>
public sealed record IsabelleMessage(IsabelleReplyKind Kind, string Name, string Argument)
{
    /// <summary>The argument parsed as JSON, or null when it is empty or not JSON.</summary>
    public JsonNode? Json { get; } = TryParse(Argument);

    /// <summary>The <c>task</c> field of a JSON object argument, when present.</summary>
    public string? Task => Json is JsonObject obj && obj["task"] is JsonValue value && value.TryGetValue<string>(out var task) ? task : null;

    /// <summary>True for the replies that end a command: OK/ERROR for synchronous ones, FINISHED/FAILED for tasks.</summary>
    public bool IsFinal(bool asynchronous) => asynchronous
        ? Kind is IsabelleReplyKind.Finished or IsabelleReplyKind.Failed or IsabelleReplyKind.Error or IsabelleReplyKind.Malformed
        : Kind is IsabelleReplyKind.Ok or IsabelleReplyKind.Error or IsabelleReplyKind.Malformed;

    /// <summary>Splits a message into name and argument.</summary>
    public static IsabelleMessage Parse(string text)
    {
        var end = 0;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '_' or '.'))
        {
            end++;
        }

        var name = text[..end];
        var rest = text[end..].TrimStart(' ', '\t').TrimEnd('\r', '\n');
        var kind = name switch
        {
            "OK" => IsabelleReplyKind.Ok,
            "ERROR" => IsabelleReplyKind.Error,
            "NOTE" => IsabelleReplyKind.Note,
            "FINISHED" => IsabelleReplyKind.Finished,
            "FAILED" => IsabelleReplyKind.Failed,
            _ => IsabelleReplyKind.Other,
        };
        return new IsabelleMessage(kind, name, rest);
    }

    /// <summary>A framing error, carried as a message so that a reader can report it instead of hanging.</summary>
    public static IsabelleMessage Malformed(string description) => new(IsabelleReplyKind.Malformed, "MALFORMED", description);

    public override string ToString() => Argument.Length == 0 ? Name : $"{Name} {(Argument.Length > 300 ? Argument[..300] + "…" : Argument)}";

    private static JsonNode? TryParse(string argument)
    {
        if (argument.Length == 0 || argument[0] is not ('{' or '[' or '"' or '-' or 't' or 'f' or 'n' or (>= '0' and <= '9')))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(argument);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
