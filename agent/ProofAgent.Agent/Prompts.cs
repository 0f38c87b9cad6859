using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using ProofAgent.Provers;

namespace ProofAgent.Agent;

/// <summary>The prompts of the loop. Statements only: reference or informal proofs go in only when the request carries a hint.</summary>
public static class Prompts
{
    public static string WholeProof(ProofLanguage language, string source, string theorem, string? informalHint)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"Complete the proof of `{theorem}` in {Name(language)}. ")
            .Append("Answer with the proof script only, in one fenced code block, without restating imports. ")
            .Append("Do not use admit, Admitted, sorry or oops.\n\n```\n").Append(source.Trim()).Append("\n```\n");
        if (informalHint is { Length: > 0 })
        {
            builder.Append("\nInformal proof:\n").Append(informalHint.Trim()).Append('\n');
        }

        return builder.ToString();
    }

    public static string NextTactics(ProofLanguage language, Goal goal, int count) =>
        $"Propose up to {count.ToString(CultureInfo.InvariantCulture)} {Name(language)} tactics, one per line, each of which makes progress on this goal. " +
        $"Answer with the tactics only.\n\n{goal}\n";

    /// <summary>Draws <paramref name="count"/> completions with distinct, deterministic seeds.</summary>
    public static async Task<IReadOnlyList<string>> SampleAsync(IChatClient chat, string prompt, int count, int seed, float temperature, CancellationToken cancellationToken)
    {
        var completions = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var options = new ChatOptions { Seed = seed + i, Temperature = count == 1 ? 0f : temperature, MaxOutputTokens = 2048 };
            var response = await chat.GetResponseAsync(prompt, options, cancellationToken);
            completions.Add(response.Text);
        }

        return completions;
    }

    private static string Name(ProofLanguage language) => language switch
    {
        ProofLanguage.Coq => "Coq (Rocq)",
        ProofLanguage.Lean4 => "Lean 4 with Mathlib",
        ProofLanguage.Isabelle => "Isabelle/HOL",
        ProofLanguage.FStar => "F*",
        _ => language.Id(),
    };
}
