using System.Globalization;
using System.Text.Json;

namespace ProofAgent.Lsp.Proving;

/// <summary>
/// Turns the proof loop's events into progress lines. Both backends see the events as JSON (the service streams them over
/// SSE; the in-process adapter serializes them the same way), so one reader serves both, and prover calls are counted from
/// the stages' own totals.
/// </summary>
internal sealed class ProgressText
{
    private int _proverCalls;

    public int ProverCalls => _proverCalls;

    /// <summary>The line for one event (<c>{"type":"stageStarted","stage":...}</c>), or null for events not worth a line.</summary>
    public string? Describe(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var type = Text(e, "type");
        var stage = Stage(Text(e, "stage"));
        var theorem = Text(e, "theorem");
        var on = theorem is null or "(file)" ? string.Empty : " " + theorem;
        switch (type)
        {
            case "stageStarted":
                return $"{stage}{on}: started";
            case "stageFinished":
                var calls = Number(e, "proverCalls");
                _proverCalls += calls;
                return $"{stage}{on}: {(Bool(e, "succeeded") ? "succeeded" : "failed")} ({calls.ToString(CultureInfo.InvariantCulture)} prover calls)";
            case "candidateChecked":
                return $"{stage}{on}: a candidate is {Text(e, "verdict") ?? "checked"}";
            case "tacticApplied":
                return $"{stage}{on}: {OneLine(Text(e, "tactic") ?? "?")} ({Number(e, "goalsBefore")} → {Number(e, "goalsAfter")} goals)";
            case "goalRefuted":
                return $"{stage}{on}: a goal is refuted by {Text(e, "solver") ?? "the oracle"}";
            case "note":
                return Text(e, "message") is { } message ? OneLine(message) : null;
            default:
                return null;
        }
    }

    /// <summary>The stage's name for people: <c>Refinement</c> → <c>refinement</c>, <c>FinalCheck</c> → <c>final check</c>.</summary>
    private static string Stage(string? stage) => stage switch
    {
        null => "proof",
        "WholeProof" => "whole proofs",
        "FinalCheck" => "final check",
        _ => stage.ToLowerInvariant(),
    };

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : 0;

    private static bool Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static string OneLine(string text)
    {
        var line = string.Join(" ", text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        return line.Length > 120 ? line[..120] + "…" : line;
    }
}
