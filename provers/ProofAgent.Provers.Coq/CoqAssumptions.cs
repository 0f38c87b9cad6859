namespace ProofAgent.Provers.Coq;

/// <summary>What <c>Print Assumptions</c> says a theorem rests on.</summary>
public sealed record CoqAssumptions(IReadOnlyList<CoqAxiom> Axioms, IReadOnlyList<string> UnsafeFlags)
{
    public static CoqAssumptions None { get; } = new([], []);
}

/// <summary>An axiom as printed: its (shortest unambiguous) name and its type.</summary>
public sealed record CoqAxiom(string PrintedName, string Type);

/// <summary>Readers for the audit output (<c>Print Assumptions</c>, <c>Locate</c>). Anything unrecognised is reported, never ignored.</summary>
public static class CoqAuditReader
{
    /// <summary>
    /// The type from <c>Check name</c> output (<c>name</c>, then <c>: type</c> on indented lines), on one line with runs
    /// of white space folded; null when the output does not have that shape.
    /// </summary>
    public static string? ParseCheck(string output)
    {
        var text = output.Replace("\r", string.Empty, StringComparison.Ordinal).Trim();
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        if (newline < 0)
        {
            return null;
        }

        var type = text[(newline + 1)..].TrimStart();
        if (!type.StartsWith(':'))
        {
            return null;
        }

        var folded = string.Join(' ', type[1..].Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));
        return folded.Length == 0 ? null : folded;
    }

    /// <summary>
    /// Parses <c>Print Assumptions</c> output. Entries start at column 0 (<c>name : type</c>, or <c>name</c> with the type on
    /// indented lines); lines such as <c>f is assumed to be guarded.</c> are unsafe flags.
    /// </summary>
    public static CoqAssumptions ParsePrintAssumptions(string output)
    {
        var text = output.Replace("\r", string.Empty, StringComparison.Ordinal).Trim();
        if (text.StartsWith("Closed under the global context", StringComparison.Ordinal))
        {
            return CoqAssumptions.None;
        }

        var axioms = new List<CoqAxiom>();
        var flags = new List<string>();
        var entries = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (char.IsWhiteSpace(line[0]) && entries.Count > 0)
            {
                entries[^1] += "\n" + line;
            }
            else
            {
                entries.Add(line);
            }
        }

        foreach (var entry in entries)
        {
            var oneLine = string.Join(' ', entry.Split('\n').Select(l => l.Trim()));
            if (oneLine.EndsWith(':') && !oneLine.Contains(' ', StringComparison.Ordinal))
            {
                // Section headers: "Axioms:", "Section Variables:", ...
                if (oneLine is not "Axioms:")
                {
                    flags.Add($"unexpected section '{oneLine}'");
                }

                continue;
            }

            if (oneLine.Contains(" is assumed to be ", StringComparison.Ordinal) || oneLine.Contains(" relies on ", StringComparison.Ordinal) ||
                oneLine.Contains("type-in-type", StringComparison.OrdinalIgnoreCase))
            {
                flags.Add(oneLine);
                continue;
            }

            var colon = oneLine.IndexOf(" : ", StringComparison.Ordinal);
            if (colon > 0)
            {
                axioms.Add(new CoqAxiom(oneLine[..colon].Trim(), oneLine[(colon + 3)..].Trim()));
            }
            else
            {
                flags.Add($"unrecognised assumption '{oneLine}'");
            }
        }

        return new CoqAssumptions(axioms, flags);
    }

    /// <summary>
    /// Parses <c>Locate</c> output into (printed short name → fully qualified name) for constants:
    /// <c>Constant Coq.Logic.Classical_Prop.classic</c> followed by <c>(shorter name to refer to it in current context is Classical_Prop.classic)</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParseLocate(string output)
    {
        var pairs = new List<(string Short, string Full)>();
        string? full = null;
        var shortened = false;
        foreach (var raw in output.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.Trim();
            const string Shorter = "(shorter name to refer to it in current context is ";
            if (full is not null && line.StartsWith(Shorter, StringComparison.Ordinal) && line.EndsWith(')'))
            {
                pairs.Add((line[Shorter.Length..^1].Trim(), full));
                shortened = true;
                continue;
            }

            if (full is not null && !shortened)
            {
                pairs.Add((full, full));
            }

            full = line.StartsWith("Constant ", StringComparison.Ordinal) ? line["Constant ".Length..].Trim() : null;
            shortened = false;
        }

        if (full is not null && !shortened)
        {
            pairs.Add((full, full));
        }

        // A printed name is a reference in the audit's context, so it denotes one object. If two objects claim the
        // same printed name, trust neither.
        return pairs
            .GroupBy(p => p.Short, StringComparer.Ordinal)
            .Where(g => g.Select(p => p.Full).Distinct(StringComparer.Ordinal).Count() == 1)
            .ToDictionary(g => g.Key, g => g.First().Full, StringComparer.Ordinal);
    }
}
