using System.Text;
using System.Text.RegularExpressions;

namespace ProofAgent.Models;

/// <summary>A theorem to prove: the formal statement (ending in <c>:= by</c> or <c>:= by sorry</c>) and optionally its informal text.</summary>
public sealed record ProofRequest(string FormalStatement, string? InformalStatement = null)
{
    public ProofRequest WithInformalStatement(string? value) => this with { InformalStatement = value };
}

/// <summary>One chat turn, independent of any chat library: role is "system", "user" or "assistant".</summary>
public sealed record ChatTurn(string Role, string Content);

/// <summary>
/// The prompt conventions of one model family: the whole-proof prompt and chat template its model card documents,
/// the tactic-step prompt, stop sequences, and proof/tactic extraction from completions.
/// </summary>
public sealed partial class PromptFormat
{
    public const string RawId = "raw";
    public const string DeepSeekProverV2Id = "deepseek-prover-v2";
    public const string KiminaProverId = "kimina-prover";
    public const string GoedelProverV2Id = "goedel-prover-v2";
    public const string TacticStepId = "tactic-step";

    /// <summary>The instruction of DeepSeek-Prover-V2 and Goedel-Prover-V2 (chain-of-thought mode), from their model cards.</summary>
    internal const string PlanInstruction =
        "Before producing the Lean 4 code to formally prove the given theorem, provide a detailed proof plan outlining the main proof steps and strategies.\n"
        + "The plan should highlight key ideas, intermediate lemmas, and proof structures that will guide the construction of the final formal proof.";

    internal const string KiminaSystem = "You are an expert in mathematics and Lean 4.";

    private PromptFormat(string id, IReadOnlyList<string> stop)
    {
        Id = id;
        StopSequences = stop;
    }

    /// <summary>Every format id, ordered.</summary>
    public static IReadOnlyList<string> Ids { get; } = [DeepSeekProverV2Id, GoedelProverV2Id, KiminaProverId, RawId, TacticStepId];

    public string Id { get; }

    /// <summary>Stop sequences the format's model ends turns with (added to the caller's when sampling through chat).</summary>
    public IReadOnlyList<string> StopSequences { get; }

    public static PromptFormat Get(string id) => id switch
    {
        RawId => new PromptFormat(id, []),
        DeepSeekProverV2Id => new PromptFormat(id, ["<\uFF5Cend\u2581of\u2581sentence\uFF5C>"]),
        KiminaProverId => new PromptFormat(id, ["<|im_end|>"]),
        GoedelProverV2Id => new PromptFormat(id, ["<|im_end|>"]),
        TacticStepId => new PromptFormat(id, ["[GOAL]", "\n"]),
        _ => throw new ModelException(ModelErrorKind.Configuration, $"unknown prompt format '{id}'; expected one of {string.Join(", ", Ids)}"),
    };

    /// <summary>The full prompt text (chat template applied) asking the model for a whole proof.</summary>
    public string ProofPrompt(ProofRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var statement = request.FormalStatement.Trim();
        return Id switch
        {
            DeepSeekProverV2Id => RenderChat([new ChatTurn("user", $"Complete the following Lean 4 code:\n\n```lean4\n{statement}\n```\n\n{PlanInstruction}")]),
            GoedelProverV2Id => RenderChat([new ChatTurn("user", $"Complete the following Lean 4 code:\n\n```lean4\n{statement}```\n\n{PlanInstruction}")]),
            KiminaProverId => RenderChat([
                new ChatTurn("system", KiminaSystem),
                new ChatTurn("user", "Think about and solve the following problem step by step in Lean 4."
                    + $"\n# Problem:{request.InformalStatement ?? ""}"
                    + $"\n# Formal statement:\n```lean4\n{statement}\n```\n"),
            ]),
            TacticStepId => throw new ModelException(ModelErrorKind.InvalidRequest, "the tactic-step format proposes tactics from goal states; use TacticPrompt"),
            _ => (request.InformalStatement is { } informal ? $"/-- {informal} -/\n" : "") + statement + "\n",
        };
    }

    /// <summary>The prompt asking for one tactic for a goal state (llmstep / LeanDojo style: <c>[GOAL]goal[PROOFSTEP]</c>).</summary>
    public string TacticPrompt(string goalState)
    {
        ArgumentNullException.ThrowIfNull(goalState);
        var plain = $"[GOAL]{goalState.Trim()}[PROOFSTEP]";
        return Id is TacticStepId or RawId
            ? plain
            : RenderChat([new ChatTurn("user", $"Give the next Lean 4 tactic for this goal state, as one line in a ```lean4 block.\n\n{goalState.Trim()}")]);
    }

    /// <summary>Applies the family's chat template (ending with the assistant's turn opening).</summary>
    public string RenderChat(IReadOnlyList<ChatTurn> turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        var text = new StringBuilder();
        switch (Id)
        {
            case DeepSeekProverV2Id:
                // DeepSeek-V3 template; the tokenizer adds the BOS token.
                foreach (var turn in turns.Where(t => t.Role == "system"))
                {
                    text.Append(turn.Content);
                }

                foreach (var turn in turns.Where(t => t.Role != "system"))
                {
                    text.Append(turn.Role == "assistant"
                        ? $"<\uFF5CAssistant\uFF5C>{turn.Content}<\uFF5Cend\u2581of\u2581sentence\uFF5C>"
                        : $"<\uFF5CUser\uFF5C>{turn.Content}");
                }

                text.Append("<\uFF5CAssistant\uFF5C>");
                break;
            case KiminaProverId or GoedelProverV2Id:
                if (Id == KiminaProverId && !turns.Any(t => t.Role == "system"))
                {
                    text.Append($"<|im_start|>system\n{KiminaSystem}<|im_end|>\n");
                }

                foreach (var turn in turns)
                {
                    text.Append($"<|im_start|>{turn.Role}\n{turn.Content}<|im_end|>\n");
                }

                text.Append("<|im_start|>assistant\n");
                break;
            default:
                text.AppendJoin("\n\n", turns.Select(t => t.Content));
                break;
        }

        return text.ToString();
    }

    /// <summary>The proof in a completion: the last complete fenced Lean block after removing <c>think</c> blocks.</summary>
    public static ProofExtraction ExtractProof(string completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var text = StripThinking(completion);
        if (text.Length == 0)
        {
            return new ProofExtraction(null, completion.Length == 0 ? "the completion is empty" : "the completion is all reasoning (an unclosed <think> block)");
        }

        var blocks = Fence().Matches(text).Select(m => (Tag: m.Groups["tag"].Value, Code: m.Groups["code"].Value)).ToList();
        var lean = blocks.Where(b => b.Tag is "lean4" or "lean").ToList();
        var chosen = lean.Count > 0 ? lean[^1] : blocks.Count > 0 ? blocks[^1] : default;
        if (chosen.Code is { } code && code.Trim().Length > 0)
        {
            return new ProofExtraction(code.Trim('\n', '\r').TrimEnd(), null);
        }

        var fences = CountOccurrences(text, "```");
        return new ProofExtraction(null, fences % 2 == 1
            ? "the completion ends inside an unclosed code block (the token budget may be too small)"
            : "the completion has no fenced code block");
    }

    /// <summary>The tactic in a completion: the first line of a fenced block, else the first line of text.</summary>
    public static ProofExtraction ExtractTactic(string completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var text = StripThinking(completion);
        var fence = Fence().Matches(text).FirstOrDefault();
        var body = fence is not null ? fence.Groups["code"].Value : text;
        var start = body.IndexOf("[PROOFSTEP]", StringComparison.Ordinal);
        if (start >= 0)
        {
            body = body[(start + "[PROOFSTEP]".Length)..];
        }

        var goal = body.IndexOf("[GOAL]", StringComparison.Ordinal);
        if (goal >= 0)
        {
            body = body[..goal];
        }

        var line = body.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith("```", StringComparison.Ordinal));
        return line is null ? new ProofExtraction(null, "the completion holds no tactic") : new ProofExtraction(line, null);
    }

    /// <summary>Removes every <c>&lt;think&gt;...&lt;/think&gt;</c> block, and an unclosed one to the end.</summary>
    public static string StripThinking(string completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var text = Think().Replace(completion, "");
        var open = text.IndexOf("<think>", StringComparison.Ordinal);
        if (open >= 0)
        {
            text = text[..open];
        }

        // A completion that starts inside the reasoning (the template opened <think>) ends it with a lone </think>.
        var close = text.LastIndexOf("</think>", StringComparison.Ordinal);
        if (close >= 0)
        {
            text = text[(close + "</think>".Length)..];
        }

        return text.Trim();
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [GeneratedRegex(@"<think>.*?</think>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Think();

    [GeneratedRegex(@"```(?<tag>[A-Za-z0-9_+-]*)[ \t]*\r?\n(?<code>.*?)```", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Fence();
}

/// <summary>The proof or tactic found in a completion (<see cref="Text"/>), or why none was found (<see cref="Reason"/>).</summary>
public sealed record ProofExtraction(string? Text, string? Reason)
{
    public bool Found => Text is not null;
}
