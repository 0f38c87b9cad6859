using ProofAgent.Grammars.Mpl;

namespace ProofAgent.GenerativeLogic;

/// <summary>One row of the parity report.</summary>
public sealed record ParityRow(string Statement, bool SameStatement, bool Derivable);

/// <summary>
/// Compares a run with GL's published theorem list: a GL theorem is "same" when some theorem of ours is equal up to
/// variable renaming and premise order, and "derivable" when our theorems (as rules, no induction) prove it; likewise the
/// other way round, with GL's theorems as rules.
/// </summary>
public sealed record ParityReport(IReadOnlyList<ParityRow> GlTheorems, IReadOnlyList<ParityRow> OurTheorems)
{
    public static IReadOnlyList<Statement> ReadGlList(string text, string anchorName)
    {
        var result = new List<Statement>();
        foreach (var line in text.Split('\n'))
        {
            var formula = line.Split('\t')[0].Trim();
            if (formula.Length == 0 || !formula.Contains($"({anchorName}[", StringComparison.Ordinal))
            {
                continue;
            }

            if (MplParsing.ParseFormula(formula) is MplFormula.ForAll { Premise: MplFormula.Atom anchor } outer && anchor.Name == anchorName)
            {
                var vars = new List<string>();
                var premises = new List<Pattern>();
                var body = outer.Conclusion;
                while (body is MplFormula.ForAll inner)
                {
                    vars.AddRange(inner.Vars);
                    Conj(inner.Premise, premises);
                    body = inner.Conclusion;
                }

                if (body is MplFormula.Atom c)
                {
                    result.Add(new Statement(vars, premises, new Pattern(c.Name, c.Args)));
                }
            }
        }

        return result;

        static void Conj(MplFormula f, List<Pattern> into)
        {
            switch (f)
            {
                case MplFormula.And a:
                    Conj(a.Left, into);
                    Conj(a.Right, into);
                    break;
                case MplFormula.Atom a:
                    into.Add(new Pattern(a.Name, a.Args));
                    break;
                default:
                    throw new GlInputException($"unsupported premise {f}");
            }
        }
    }

    public static ParityReport Compare(Theory theory, IReadOnlyList<ProvedTheorem> ours, IReadOnlyList<Statement> gl, CancellationToken cancellationToken)
    {
        static string Key(Statement s) => ConjectureGenerator.Canonicalize(s.Premises, s.Conclusion, s.Vars).Key;
        var ourKeys = ours.Select(t => Key(t.Statement)).ToHashSet(StringComparer.Ordinal);
        var glKeys = gl.Select(Key).ToHashSet(StringComparer.Ordinal);
        var prover = new Prover(theory, SaturationLimits.Default);
        var glAsTheorems = gl.Select((s, i) => new ProvedTheorem($"GL{i + 1}", s, new TheoremProof.Direct(new ProofBlock([], 0)), [])).ToList();
        var glRows = gl.AsParallel().AsOrdered().WithCancellation(cancellationToken)
            .Select(s => new ParityRow(s.ToMpl(theory), ourKeys.Contains(Key(s)), prover.Prove(s, ours, allowInduction: false, cancellationToken) is not null)).ToList();
        var ourRows = ours.AsParallel().AsOrdered().WithCancellation(cancellationToken)
            .Select(t => new ParityRow(t.Statement.ToMpl(theory), glKeys.Contains(Key(t.Statement)), prover.Prove(t.Statement, glAsTheorems, allowInduction: false, cancellationToken) is not null)).ToList();
        return new ParityReport(glRows, ourRows);
    }
}
