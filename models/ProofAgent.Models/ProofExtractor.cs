using System.Text.RegularExpressions;

namespace ProofAgent.Models;

/// <summary>The proof or tactic found in a completion (<see cref="Text"/>), or why none was found (<see cref="Reason"/>).</summary>
public sealed record ProofExtraction(string? Text, string? Reason)
{
    public bool Found => Text is not null;
}

/// <summary>One fenced code block of a completion: its tag (<c>lean4</c>, <c>coq</c>, or empty) and its code.</summary>
public sealed record FencedBlock(string Tag, string Code);

/// <summary>
/// Reads proofs out of completions; the only fenced-block reader of the solution. Reasoning (<c>&lt;think&gt;…&lt;/think&gt;</c>)
/// is dropped first, because reasoning models write drafts and decoys there; then the LAST complete block of the target
/// language is the answer (the models' final answer comes last), else the last complete block of any tag. Whether the
/// block is a proof script or a complete file is for the caller to see; the prover decides whether it proves anything.
/// </summary>
public static partial class ProofExtractor
{
    /// <summary>The proof in a completion, in <paramref name="language"/>.</summary>
    public static ProofExtraction ExtractProof(string completion, TargetLanguage language)
    {
        ArgumentNullException.ThrowIfNull(completion);
        ArgumentNullException.ThrowIfNull(language);
        var text = StripThinking(completion);
        if (text.Length == 0)
        {
            return new ProofExtraction(null, completion.Length == 0 ? "the completion is empty" : "the completion is all reasoning (an unclosed <think> block)");
        }

        var blocks = Blocks(text);
        var inLanguage = blocks.Where(b => language.FenceTags.Contains(b.Tag, StringComparer.OrdinalIgnoreCase)).ToList();
        var chosen = inLanguage.Count > 0 ? inLanguage[^1] : blocks.Count > 0 ? blocks[^1] : null;
        if (chosen is { Code: var code } && code.Trim().Length > 0)
        {
            return new ProofExtraction(code.Trim('\n', '\r').TrimEnd(), null);
        }

        return new ProofExtraction(null, CountOccurrences(text, "```") % 2 == 1
            ? "the completion ends inside an unclosed code block (the token budget may be too small)"
            : "the completion has no fenced code block");
    }

    /// <summary>The tactic in a completion: the first line of a fenced block, else the first line of text.</summary>
    public static ProofExtraction ExtractTactic(string completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var text = StripThinking(completion);
        var blocks = Blocks(text);
        var body = blocks.Count > 0 ? blocks[0].Code : text;
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

    /// <summary>The complete fenced blocks of <paramref name="text"/>, in order (an unclosed last fence is not a block).</summary>
    public static IReadOnlyList<FencedBlock> Blocks(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. Fence().Matches(text).Select(m => new FencedBlock(m.Groups["tag"].Value, m.Groups["code"].Value))];
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

    [GeneratedRegex(@"```(?<tag>[A-Za-z0-9_+*-]*)[ \t]*\r?\n(?<code>.*?)```", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Fence();
}
