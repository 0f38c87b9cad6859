using System.Globalization;
using System.Text.RegularExpressions;

namespace ProofAgent.Provers.Isabelle;

/// <summary>One proof found by sledgehammer (or try0): the tool that found it, the Isar text to paste, and its time.</summary>
public sealed record SledgehammerSuggestion(string? Prover, string Proof, TimeSpan? Time);

/// <summary>Readers for the plain text inside Isabelle's messages: goal states and <c>Try this:</c> lines.</summary>
public static partial class IsabelleOutput
{
    /// <summary>
    /// Reads <c>Try this:</c> lines, e.g. <c>metis: Try this: by metis (2 ms)</c> or
    /// <c>Try this: by (simp add: foo) (0.3 ms)</c>, in order, without duplicate proofs.
    /// </summary>
    public static IReadOnlyList<SledgehammerSuggestion> ParseTryThis(IEnumerable<string> messages)
    {
        var suggestions = new List<SledgehammerSuggestion>();
        foreach (var message in messages)
        {
            foreach (var line in message.Split('\n'))
            {
                var match = TryThisLine().Match(line.Trim());
                if (!match.Success)
                {
                    continue;
                }

                TimeSpan? time = null;
                if (match.Groups["time"].Success && double.TryParse(match.Groups["time"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    time = match.Groups["unit"].Value == "s" ? TimeSpan.FromSeconds(value) : TimeSpan.FromMilliseconds(value);
                }

                var proof = match.Groups["proof"].Value.Trim();
                if (!suggestions.Any(s => s.Proof == proof))
                {
                    suggestions.Add(new SledgehammerSuggestion(match.Groups["prover"].Success ? match.Groups["prover"].Value : null, proof, time));
                }
            }
        }

        return suggestions;
    }

    /// <summary>
    /// Reads a printed proof state: <c>goal (2 subgoals):</c> then numbered subgoals (continuation lines are indented);
    /// <c>No subgoals!</c> gives an empty list. Null when the text holds no goal state.
    /// </summary>
    public static IReadOnlyList<Goal>? ParseGoals(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var header = Array.FindIndex(lines, l => GoalHeader().IsMatch(l.Trim()));
        if (header < 0)
        {
            return null;
        }

        if (lines.Skip(header + 1).Any(l => l.Trim() == "No subgoals!"))
        {
            return [];
        }

        var goals = new List<Goal>();
        string? current = null;
        var id = 0;
        foreach (var line in lines.Skip(header + 1))
        {
            var numbered = Subgoal().Match(line);
            if (numbered.Success)
            {
                if (current is not null)
                {
                    goals.Add(new Goal([], current, id.ToString(CultureInfo.InvariantCulture)));
                }

                id = int.Parse(numbered.Groups["n"].Value, CultureInfo.InvariantCulture);
                current = numbered.Groups["goal"].Value.Trim();
            }
            else if (current is not null && line.StartsWith("    ", StringComparison.Ordinal))
            {
                current += " " + line.Trim();
            }
            else if (current is not null)
            {
                break;
            }
        }

        if (current is not null)
        {
            goals.Add(new Goal([], current, id.ToString(CultureInfo.InvariantCulture)));
        }

        return goals;
    }

    /// <summary>Oracle names listed by <c>thm_oracles</c> (a message <c>oracles:</c> followed by one name per line).</summary>
    public static IReadOnlyList<string>? ParseOracles(string message)
    {
        var lines = message.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var header = Array.FindIndex(lines, l => l.Trim().StartsWith("oracles:", StringComparison.Ordinal));
        if (header < 0)
        {
            return null;
        }

        var inline = lines[header].Trim()["oracles:".Length..].Trim();
        return [.. new[] { inline }.Concat(lines.Skip(header + 1).Select(l => l.Trim())).Where(l => l.Length > 0)];
    }

    [GeneratedRegex(@"^(?:(?<prover>[A-Za-z0-9_.+-]+): )?Try this: (?<proof>.+?)(?: \((?<time>\d+(?:\.\d+)?) (?<unit>ms|s)\))?$")]
    private static partial Regex TryThisLine();

    [GeneratedRegex(@"^goal(?: \(\d+ subgoals?\))?:$")]
    private static partial Regex GoalHeader();

    [GeneratedRegex(@"^ (?<n>\d+)\. (?<goal>.*)$")]
    private static partial Regex Subgoal();
}
