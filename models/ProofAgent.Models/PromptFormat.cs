using System.Text;

namespace ProofAgent.Models;

/// <summary>What to prove: the formal statement (with its hole) in a language, and optionally the problem in words.</summary>
public sealed record StatementPrompt(string FormalStatement, string? InformalStatement = null)
{
    public TargetLanguage Language { get; init; } = TargetLanguage.Lean4;

    public StatementPrompt WithInformalStatement(string? value) => this with { InformalStatement = value };

    public StatementPrompt WithLanguage(TargetLanguage language) => this with { Language = language };
}

/// <summary>One chat turn, independent of any chat library: role is "system", "user" or "assistant".</summary>
public sealed record ChatTurn(string Role, string Content);

/// <summary>
/// A prompt in both forms: the chat turns (for a chat API, whose server applies the model's template) and the text with
/// the format's template applied (for a completions API and the in-process runtime).
/// </summary>
public sealed record ModelPrompt(IReadOnlyList<ChatTurn> Turns, string Text);

/// <summary>
/// The prompt conventions of one model family: the whole-proof prompt and chat template its model card documents, the
/// repair prompt (the prover's errors shown to the model), the tactic-step prompt, stop sequences and default sampling.
/// Proofs are read back with <see cref="ProofExtractor"/>.
/// </summary>
public sealed class PromptFormat
{
    public const string RawId = "raw";
    public const string ChatId = "chat";
    public const string DeepSeekProverV2Id = "deepseek-prover-v2";
    public const string DeepSeekProverV2NonCotId = "deepseek-prover-v2-noncot";
    public const string KiminaProverId = "kimina-prover";
    public const string GoedelProverV2Id = "goedel-prover-v2";
    public const string TacticStepId = "tactic-step";

    internal const string KiminaSystem = "You are an expert in mathematics and Lean 4.";

    private PromptFormat(string id, IReadOnlyList<string> stop, SamplingOptions sampling, int contextLength, bool reasons)
    {
        Id = id;
        StopSequences = stop;
        DefaultSampling = sampling;
        DefaultContextLength = contextLength;
        Reasons = reasons;
    }

    /// <summary>Every format id, ordered.</summary>
    public static IReadOnlyList<string> Ids { get; } =
        [ChatId, DeepSeekProverV2Id, DeepSeekProverV2NonCotId, GoedelProverV2Id, KiminaProverId, RawId, TacticStepId];

    public string Id { get; }

    /// <summary>Stop sequences the format's model ends turns with (added to the caller's when sampling through chat).</summary>
    public IReadOnlyList<string> StopSequences { get; }

    /// <summary>
    /// Sampling when the registry gives none: the token budget, temperature and top-p the model card uses (reasoning
    /// formats write long chains of thought: 8k tokens and more).
    /// </summary>
    public SamplingOptions DefaultSampling { get; }

    /// <summary>Prompt plus completion, in tokens, when the registry gives no <c>contextLength</c>.</summary>
    public int DefaultContextLength { get; }

    /// <summary>True for chain-of-thought formats (reasoning before the final code block).</summary>
    public bool Reasons { get; }

    public static PromptFormat Get(string id) => id switch
    {
        RawId => new PromptFormat(id, [], SamplingOptions.Default, 4096, reasons: false),

        // General instruction models (Qwen, DeepSeek-V3, Llama): ChatML when rendered as text, the server's template over chat/completions.
        ChatId => new PromptFormat(id, ["<|im_end|>"], Sampling(0.7, 0.95, 8192), 16384, reasons: true),

        // DeepSeek-Prover-V2 card: generate(max_new_tokens=8192); the paper samples at temperature 1.0, top-p 0.95.
        DeepSeekProverV2Id => new PromptFormat(id, [DeepSeekEnd], Sampling(1.0, 0.95, 8192), 16384, reasons: true),
        DeepSeekProverV2NonCotId => new PromptFormat(id, [DeepSeekEnd], Sampling(1.0, 0.95, 2048), 4096, reasons: false),

        // Kimina-Prover card: SamplingParams(temperature=0.6, top_p=0.95, max_tokens=8096).
        KiminaProverId => new PromptFormat(id, ["<|im_end|>"], Sampling(0.6, 0.95, 8096), 16384, reasons: true),

        // Goedel-Prover-V2 card: generate(max_new_tokens=32768).
        GoedelProverV2Id => new PromptFormat(id, ["<|im_end|>"], Sampling(1.0, 0.95, 32768), 40960, reasons: true),
        TacticStepId => new PromptFormat(id, ["[GOAL]", "\n"], Sampling(0.7, 0.95, 128), 2048, reasons: false),
        _ => throw new ModelException(ModelErrorKind.Configuration, $"unknown prompt format '{id}'; expected one of {string.Join(", ", Ids)}"),
    };

    /// <summary>The prompt asking for a whole proof of <paramref name="request"/>.</summary>
    public ModelPrompt ProofPrompt(StatementPrompt request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Render(ProofTurns(request));
    }

    /// <summary>
    /// The repair prompt (Goedel-Prover-V2's self-correction, Kimina's error fixing): the proof request, the model's
    /// failed answer, and the prover's errors (line, message, goal at the error) with a request for the corrected code.
    /// </summary>
    public ModelPrompt RepairPrompt(StatementPrompt request, string failedProof, string proverErrors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(failedProof);
        ArgumentNullException.ThrowIfNull(proverErrors);
        if (Id == TacticStepId)
        {
            throw new ModelException(ModelErrorKind.InvalidRequest, "the tactic-step format proposes tactics from goal states; it cannot repair whole proofs");
        }

        var language = request.Language;
        var turns = ProofTurns(request).ToList();
        turns.Add(new ChatTurn("assistant", $"```{language.FenceTag}\n{failedProof.Trim()}\n```"));
        var instruction = new StringBuilder()
            .Append(System.Globalization.CultureInfo.InvariantCulture, $"The proof above is not correct. The {language.DisplayName} checker reports:\n\n")
            .Append(proverErrors.Trim())
            .Append(System.Globalization.CultureInfo.InvariantCulture, $"\n\nAnalyse the error, then give the complete corrected {language.DisplayName} code in one ```{language.FenceTag} block at the end of your answer.");
        turns.Add(new ChatTurn("user", instruction.ToString()));
        return Render(turns);
    }

    /// <summary>The Lean 4 tactic prompt as text (<c>[GOAL]goal[PROOFSTEP]</c> for the tactic-step format).</summary>
    public string TacticPrompt(string goalState) => TacticPrompt(goalState, TargetLanguage.Lean4).Text;

    /// <summary>The prompt asking for the next tactic for a goal state (llmstep / LeanDojo style: <c>[GOAL]goal[PROOFSTEP]</c>).</summary>
    public ModelPrompt TacticPrompt(string goalState, TargetLanguage language)
    {
        ArgumentNullException.ThrowIfNull(goalState);
        ArgumentNullException.ThrowIfNull(language);
        var lang = language;
        if (Id is TacticStepId or RawId)
        {
            var plain = $"[GOAL]{goalState.Trim()}[PROOFSTEP]";
            return new ModelPrompt([new ChatTurn("user", plain)], plain);
        }

        return Render([new ChatTurn("user", $"Give the next {lang.DisplayName} tactic for this goal state, as one line in a ```{lang.FenceTag} block.\n\n{goalState.Trim()}")]);
    }

    /// <summary>Turns rendered with this format's template.</summary>
    public ModelPrompt Render(IReadOnlyList<ChatTurn> turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        return new ModelPrompt(turns, RenderChat(turns));
    }

    /// <summary>Applies the family's chat template (ending with the assistant's turn opening).</summary>
    public string RenderChat(IReadOnlyList<ChatTurn> turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        var text = new StringBuilder();
        switch (Id)
        {
            case DeepSeekProverV2Id or DeepSeekProverV2NonCotId:
                // DeepSeek-V3 template; the tokenizer adds the BOS token.
                foreach (var turn in turns.Where(t => t.Role == "system"))
                {
                    text.Append(turn.Content);
                }

                foreach (var turn in turns.Where(t => t.Role != "system"))
                {
                    text.Append(turn.Role == "assistant"
                        ? $"<\uFF5CAssistant\uFF5C>{turn.Content}{DeepSeekEnd}"
                        : $"<\uFF5CUser\uFF5C>{turn.Content}");
                }

                text.Append("<\uFF5CAssistant\uFF5C>");
                break;
            case KiminaProverId or GoedelProverV2Id or ChatId:
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

    private const string DeepSeekEnd = "<\uFF5Cend\u2581of\u2581sentence\uFF5C>";

    private static SamplingOptions Sampling(double temperature, double topP, int maxTokens) =>
        SamplingOptions.Default with { Temperature = temperature, TopP = topP, MaxTokens = maxTokens };

    /// <summary>The instruction of DeepSeek-Prover-V2 and Goedel-Prover-V2 (chain-of-thought mode), from their model cards.</summary>
    private static string PlanInstruction(TargetLanguage language) =>
        $"Before producing the {language.DisplayName} code to formally prove the given theorem, provide a detailed proof plan outlining the main proof steps and strategies.\n"
        + "The plan should highlight key ideas, intermediate lemmas, and proof structures that will guide the construction of the final formal proof.";

    private IReadOnlyList<ChatTurn> ProofTurns(StatementPrompt request)
    {
        var statement = request.FormalStatement.Trim();
        var language = request.Language;
        var (name, tag) = (language.DisplayName, language.FenceTag);
        return Id switch
        {
            // The cards' prompts are for Lean 4; other languages get the same words with their own name and fence tag.
            DeepSeekProverV2Id => [new ChatTurn("user", $"Complete the following {name} code:\n\n```{tag}\n{statement}\n```\n\n{PlanInstruction(language)}")],
            DeepSeekProverV2NonCotId => [new ChatTurn("user", $"Complete the following {name} code:\n\n```{tag}\n{statement}\n```")],
            GoedelProverV2Id => [new ChatTurn("user", $"Complete the following {name} code:\n\n```{tag}\n{statement}```\n\n{PlanInstruction(language)}")],
            KiminaProverId =>
            [
                new ChatTurn("system", language == TargetLanguage.Lean4 ? KiminaSystem : $"You are an expert in mathematics and {name}."),
                new ChatTurn("user", $"Think about and solve the following problem step by step in {name}."
                    + $"\n# Problem:{request.InformalStatement ?? ""}"
                    + $"\n# Formal statement:\n```{tag}\n{statement}\n```\n"),
            ],
            ChatId =>
            [
                new ChatTurn("system", $"You are an expert in competition mathematics and in the {name} proof assistant. You write proofs that the {name} checker accepts."),
                new ChatTurn("user", $"Complete the following {name} code: replace the unfinished proof with a complete one. Do not use {language.Holes}. "
                    + "You may add imports and helper lemmas, but do not change the statement."
                    + (request.InformalStatement is { Length: > 0 } informal ? $"\n\nThe problem in words: {informal.Trim()}" : "")
                    + $"\n\n```{tag}\n{statement}\n```\n\nThink first if you need to; end your answer with the complete {name} code in one ```{tag} block."),
            ],
            TacticStepId => throw new ModelException(ModelErrorKind.InvalidRequest, "the tactic-step format proposes tactics from goal states; use TacticPrompt"),
            _ => [new ChatTurn("user", (request.InformalStatement is { } informalText ? $"/-- {informalText} -/\n" : "") + statement + "\n")],
        };
    }
}
