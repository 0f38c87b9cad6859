using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace ProofAgent.Models;

/// <summary>
/// Tool calls for models without a tool-calling API (the in-process runtime): the tools are described in a system turn,
/// and the output is constrained by a GBNF grammar to one JSON object, <c>{"tool": NAME, "arguments": {...}}</c> naming
/// one of the tools, or <c>{"answer": TEXT}</c>. The token budget bounds the output (llama.cpp refuses, and aborts on,
/// large bounded repetitions); a call cut by the budget comes back as text.
/// </summary>
public static class ToolCallGrammar
{
    /// <summary>The GBNF grammar for a call of one of <paramref name="tools"/>, or an answer.</summary>
    public static string Build(IEnumerable<string> tools)
    {
        var names = tools.Select(n => "\"\\\"" + n.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\\\"\"").ToList();
        if (names.Count == 0)
        {
            throw new ArgumentException("at least one tool is needed", nameof(tools));
        }

        return $$$"""
            root ::= call | answer
            call ::= "{\"tool\": " name ", \"arguments\": {" members? "}}"
            answer ::= "{\"answer\": " string "}"
            name ::= {{{string.Join(" | ", names)}}}
            members ::= member (", " member){0,7}
            member ::= string ": " value
            value ::= string | number | "true" | "false" | "null"
            string ::= "\"" char* "\""
            char ::= [^"\\\x00-\x1f] | "\\" ["\\/nt]
            number ::= "-"? ("0" | [1-9] [0-9]{0,11})
            """;
    }

    /// <summary>The system turn that describes the tools and the answer format.</summary>
    public static string Describe(IEnumerable<AIFunctionDeclaration> tools)
    {
        var text = new StringBuilder("You can call tools. Reply with exactly one JSON object: {\"tool\": NAME, \"arguments\": {...}} to call a tool, or {\"answer\": TEXT} to give your final answer.\nTools:\n");
        foreach (var tool in tools)
        {
            text.Append("- ").Append(tool.Name).Append(": ").Append(tool.Description).Append(" Parameters (JSON schema): ").Append(tool.JsonSchema.GetRawText()).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Reads a constrained completion: a tool call, or the answer's text (anything unreadable is returned as text).</summary>
    public static AIContent Read(string completion, string callId)
    {
        ArgumentNullException.ThrowIfNull(completion);
        try
        {
            using var document = JsonDocument.Parse(completion);
            var root = document.RootElement;
            if (root.TryGetProperty("tool", out var tool) && tool.ValueKind == JsonValueKind.String)
            {
                var arguments = root.TryGetProperty("arguments", out var args) && args.ValueKind == JsonValueKind.Object
                    ? args.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal)
                    : [];
                return new FunctionCallContent(callId, tool.GetString()!, arguments);
            }

            if (root.TryGetProperty("answer", out var answer) && answer.ValueKind == JsonValueKind.String)
            {
                return new TextContent(answer.GetString());
            }
        }
        catch (JsonException)
        {
            // A completion cut by the token budget: the text as it is.
        }

        return new TextContent(completion);
    }
}
