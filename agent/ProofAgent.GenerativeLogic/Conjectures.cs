using System.Globalization;

namespace ProofAgent.GenerativeLogic;

/// <summary>Limits of conjecture generation.</summary>
public sealed record ConjectureOptions(int MaxPremises = 4, int MaxAtoms = 5, int MaxVars = 7, int MaxFreeInputs = 3, int ModelSize = 6)
{
    public static ConjectureOptions Default { get; } = new();
}

/// <summary>An operation of the theory: relation <see cref="Rel"/> with its operator constant, inputs and one output.</summary>
internal sealed record Operation(string Rel, string Op, int Inputs)
{
    public Pattern Atom(IReadOnlyList<string> inputs, string output) => new(Rel, [.. inputs, output, Op]);
}

/// <summary>
/// Generates candidate theorems from the theory: chains of operation premises (each defines a new variable from earlier
/// ones, constants or fresh inputs; ports are all of the carrier type), and a conclusion (an operation on existing
/// variables, or an equality). Canonical variable naming and premise ordering remove renamings and permutations; each
/// variable must occur twice; a counterexample filter evaluates candidates on a finite part of the model that the axioms
/// themselves compute (numerals 0..ModelSize).
/// </summary>
internal sealed class ConjectureGenerator(Theory theory, ConjectureOptions options)
{
    public IReadOnlyList<Operation> Operations { get; } = FindOperations(theory);

    public IReadOnlyList<string> ElementConstants { get; } = FindElementConstants(theory);

    private static List<Operation> FindOperations(Theory theory)
    {
        var result = new List<Operation>();
        foreach (var rule in theory.Axioms)
        {
            if (rule.Conclusion is RuleConclusion.Exists { Vars.Count: 1 } ex && ex.Facts.Count == 2 && ex.Facts[0].Rel == "in")
            {
                var f = ex.Facts[1];
                var op = f.Args[^1];
                if ((f.Rel is "in2" or "in3") && f.Args[^2] == ex.Vars[0] && theory.Constants.Contains(op) && f.Args.Take(f.Args.Count - 2).All(rule.Vars.Contains))
                {
                    result.Add(new Operation(f.Rel, op, f.Args.Count - 2));
                }
            }
        }

        return [.. result.DistinctBy(o => o.Rel + o.Op).OrderBy(o => o.Inputs).ThenBy(o => theory.Constants.ToList().IndexOf(o.Op))];
    }

    private static List<string> FindElementConstants(Theory theory)
    {
        var sets = theory.Facts.Where(f => f.Rel == "in").Select(f => f.Args[1]).ToHashSet(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var f in theory.Facts)
        {
            var elementArgs = f.Rel switch { "in" => f.Args.Take(1), "in2" or "in3" => f.Args.Take(f.Args.Count - 1), _ => [] };
            result.AddRange(elementArgs.Where(a => theory.Constants.Contains(a) && !sets.Contains(a)));
        }

        return [.. result.Distinct().OrderBy(c => theory.Constants.ToList().IndexOf(c))];
    }

    /// <summary>All canonical candidates, in a fixed order (fewer atoms, fewer variables, then ordinal).</summary>
    public IReadOnlyList<Statement> Generate(CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, Statement>(StringComparer.Ordinal);
        var premises = new List<Pattern>();
        Extend(premises, 0, 0, 0, false, seen, cancellationToken);
        return [.. seen.OrderBy(kv => kv.Value.Premises.Count).ThenBy(kv => kv.Value.Vars.Count).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value)];
    }

    private static string Var(int i) => "v" + (i + 1).ToString(CultureInfo.InvariantCulture);

    private void Extend(List<Pattern> premises, int vars, int free, int constants, bool reusedOutput, Dictionary<string, Statement> seen, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (premises.Count > 0)
        {
            Conclude(premises, vars, constants, seen);
        }

        if (premises.Count >= options.MaxPremises || premises.Count + 1 >= options.MaxAtoms)
        {
            return;
        }

        foreach (var op in Operations)
        {
            foreach (var (inputs, newVars, newFree, newConstants) in Inputs(op.Inputs, vars, free, constants))
            {
                var outputs = new List<(string Name, int Vars, bool Reused)> { (Var(newVars), newVars + 1, false) };
                if (!reusedOutput)
                {
                    outputs.AddRange(Enumerable.Range(0, vars).Select(i => Var(i)).Where(v => !inputs.Contains(v)).Select(v => (v, newVars, true)));
                }

                foreach (var (output, nextVars, reused) in outputs)
                {
                    if (nextVars > options.MaxVars)
                    {
                        continue;
                    }

                    var atom = op.Atom(inputs, output);
                    if (premises.Any(p => p.Rel == atom.Rel && p.Args[^1] == atom.Args[^1] && p.Args.Take(op.Inputs).SequenceEqual(inputs)))
                    {
                        continue; // the same operation on the same inputs twice
                    }

                    premises.Add(atom);
                    Extend(premises, nextVars, newFree, newConstants, reusedOutput || reused, seen, ct);
                    premises.RemoveAt(premises.Count - 1);
                }
            }
        }
    }

    private IEnumerable<(string[] Inputs, int Vars, int Free, int Constants)> Inputs(int count, int vars, int free, int constants)
    {
        IEnumerable<(string[], int, int, int)> Go(int k, string[] acc, int v, int f, int c)
        {
            if (k == count)
            {
                yield return (acc, v, f, c);
                yield break;
            }

            for (var i = 0; i < v; i++)
            {
                foreach (var r in Go(k + 1, [.. acc, Var(i)], v, f, c))
                {
                    yield return r;
                }
            }

            if (f < options.MaxFreeInputs && v < options.MaxVars)
            {
                foreach (var r in Go(k + 1, [.. acc, Var(v)], v + 1, f + 1, c))
                {
                    yield return r;
                }
            }

            if (c < 1)
            {
                foreach (var constant in ElementConstants)
                {
                    foreach (var r in Go(k + 1, [.. acc, constant], v, f, c + 1))
                    {
                        yield return r;
                    }
                }
            }
        }

        return Go(0, [], vars, free, constants);
    }

    private void Conclude(List<Pattern> premises, int vars, int constants, Dictionary<string, Statement> seen)
    {
        var names = Enumerable.Range(0, vars).Select(Var).ToList();
        // An equality of two variables.
        for (var i = 0; i < vars; i++)
        {
            for (var j = i + 1; j < vars; j++)
            {
                Add(premises, new Pattern("=", [names[i], names[j]]), names, seen);
            }
        }

        // An operation on existing variables (or a constant) with an existing output.
        foreach (var op in Operations)
        {
            foreach (var (inputs, v, _, _) in Inputs(op.Inputs, vars, options.MaxFreeInputs, constants))
            {
                if (v != vars)
                {
                    continue;
                }

                foreach (var output in names.Concat(constants < 1 ? ElementConstants : []))
                {
                    Add(premises, op.Atom(inputs, output), names, seen);
                }
            }
        }
    }

    private void Add(List<Pattern> premises, Pattern conclusion, List<string> names, Dictionary<string, Statement> seen)
    {
        if (premises.Count + 1 > options.MaxAtoms || premises.Contains(conclusion))
        {
            return;
        }

        var all = premises.Append(conclusion).ToList();
        foreach (var v in names)
        {
            if (all.Sum(p => p.Args.Count(a => a == v)) < 2)
            {
                return;
            }
        }

        // The conclusion is no operation that a premise already computes on the same inputs.
        if (conclusion.Rel != "=" && premises.Any(p => p.Rel == conclusion.Rel && p.Args[^1] == conclusion.Args[^1] && p.Args.Take(p.Args.Count - 2).SequenceEqual(conclusion.Args.Take(conclusion.Args.Count - 2))))
        {
            return;
        }

        var canonical = Canonicalize(premises, conclusion, names);
        seen.TryAdd(canonical.Key, canonical.Statement);
    }

    /// <summary>The least renaming over all premise orders: premises sorted, variables numbered by first occurrence.</summary>
    internal static (string Key, Statement Statement) Canonicalize(IReadOnlyList<Pattern> premises, Pattern conclusion, IReadOnlyList<string> vars)
    {
        string? bestKey = null;
        Statement? best = null;
        foreach (var order in Permutations(premises.Count))
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            string Rename(string a)
            {
                if (!vars.Contains(a))
                {
                    return a;
                }

                if (!map.TryGetValue(a, out var r))
                {
                    map[a] = r = Var(map.Count);
                }

                return r;
            }

            var ps = order.Select(i => new Pattern(premises[i].Rel, [.. premises[i].Args.Select(Rename)])).ToList();
            var c = new Pattern(conclusion.Rel, [.. conclusion.Args.Select(Rename)]);
            if (c.Rel == "=" && string.CompareOrdinal(c.Args[0], c.Args[1]) > 0)
            {
                c = new Pattern("=", [c.Args[1], c.Args[0]]);
            }

            var key = string.Join("", ps) + "=>" + c;
            if (bestKey is null || string.CompareOrdinal(key, bestKey) < 0)
            {
                bestKey = key;
                best = new Statement([.. Enumerable.Range(0, map.Count).Select(Var)], ps, c);
            }
        }

        return (bestKey!, best!);
    }

    private static IEnumerable<int[]> Permutations(int n)
    {
        if (n == 0)
        {
            yield return [];
            yield break;
        }

        foreach (var rest in Permutations(n - 1))
        {
            for (var i = 0; i <= rest.Length; i++)
            {
                var p = new List<int>(rest);
                p.Insert(i, n - 1);
                yield return [.. p];
            }
        }
    }
}

/// <summary>
/// A finite part of the model of the theory, computed by the axioms themselves: numerals 0..K built from zero by the
/// successor, and every operation on them whose result is a numeral. A candidate with an instance whose premises hold
/// and whose conclusion fails in this part is false in every model, so it is dropped.
/// </summary>
internal sealed class FiniteModel
{
    private readonly Dictionary<string, string> _table = new(StringComparer.Ordinal);
    private readonly List<string> _numerals = [];

    public FiniteModel(Theory theory, IReadOnlyList<Operation> operations, int size, CancellationToken cancellationToken)
    {
        if (theory.Induction is not { } ind)
        {
            return;
        }

        var (zero, succ) = (ind.Args[1], ind.Args[2]);
        var rules = theory.Axioms.Select(a => new BlockRule(RuleRefs.Axiom(a.Name), a, Demand: false)).ToList();
        var limits = new SaturationLimits(MaxRounds: 4 * size + 8, MaxFacts: 200_000, MaxWitnesses: 10_000, MaxWitnessDepth: 1000);
        var sat = new Saturation(theory.Constants, rules, limits);
        foreach (var f in theory.Facts)
        {
            sat.AddHypothesis(f, "anchor");
        }

        // Numerals: zero, then successors, by demanding the successor of the last numeral.
        _numerals.Add(zero);
        for (var i = 0; i < size; i++)
        {
            sat.SeedDemand(new Pattern("in2", [_numerals[^1], _numerals[^1], succ]));
            sat.Run(null, cancellationToken);
            var next = sat.LiveFacts().FirstOrDefault(f => f.Rel == "in2" && f.Args[0] == sat.Canonical(_numerals[^1]) && f.Args[2] == succ);
            if (next is null)
            {
                break;
            }

            _numerals.Add(next.Args[1]);
        }

        foreach (var op in operations.Where(o => o.Inputs == 2))
        {
            foreach (var a in _numerals)
            {
                foreach (var b in _numerals)
                {
                    sat.SeedDemand(op.Atom([a, b], a));
                }
            }
        }

        sat.Run(null, cancellationToken);
        var canonical = _numerals.Select(sat.Canonical).ToList();
        var index = canonical.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        foreach (var f in sat.LiveFacts())
        {
            if ((f.Rel is "in2" or "in3") && f.Args.Take(f.Args.Count - 1).All(index.ContainsKey))
            {
                _table[f.Rel + "|" + f.Args[^1] + "|" + string.Join(',', f.Args.Take(f.Args.Count - 2).Select(a => index[a]))] = index[f.Args[^2]].ToString(CultureInfo.InvariantCulture);
            }
        }

        Constants = theory.Constants.Where(c => index.ContainsKey(sat.Canonical(c))).ToDictionary(c => c, c => index[sat.Canonical(c)], StringComparer.Ordinal);
        Size = _numerals.Count;
    }

    public int Size { get; }

    public IReadOnlyDictionary<string, int> Constants { get; } = new Dictionary<string, int>();

    public int TableSize => _table.Count;

    /// <summary>True when some instance over the numerals makes every premise true and the conclusion false.</summary>
    public bool HasCounterexample(Statement statement)
    {
        if (Size == 0)
        {
            return false;
        }

        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        return Search(statement, values, 0);
    }

    private int? Value(string name, Dictionary<string, int> values) =>
        values.TryGetValue(name, out var v) ? v : Constants.TryGetValue(name, out var c) ? c : null;

    private int? Apply(Pattern p, Dictionary<string, int> values)
    {
        var inputs = new List<int>();
        foreach (var a in p.Args.Take(p.Args.Count - 2))
        {
            if (Value(a, values) is not { } v)
            {
                return null;
            }

            inputs.Add(v);
        }

        return _table.TryGetValue(p.Rel + "|" + p.Args[^1] + "|" + string.Join(',', inputs), out var r) ? int.Parse(r, CultureInfo.InvariantCulture) : null;
    }

    private bool Search(Statement s, Dictionary<string, int> values, int k)
    {
        // Premises in order: a premise whose inputs are known fixes (or checks) its output; unknown inputs are enumerated.
        if (k == s.Premises.Count)
        {
            var c = s.Conclusion;
            if (c.Rel == "=")
            {
                return Value(c.Args[0], values) is { } x && Value(c.Args[1], values) is { } y && x != y;
            }

            return Value(c.Args[^2], values) is { } output && Apply(c, values) is { } r && r != output;
        }

        var p = s.Premises[k];
        var unknown = p.Args.Take(p.Args.Count - 2).FirstOrDefault(a => Value(a, values) is null);
        if (unknown is not null)
        {
            for (var i = 0; i < Size; i++)
            {
                values[unknown] = i;
                if (Search(s, values, k))
                {
                    values.Remove(unknown);
                    return true;
                }
            }

            values.Remove(unknown);
            return false;
        }

        if (Apply(p, values) is not { } result)
        {
            return false; // outside the computed part: no verdict
        }

        var outName = p.Args[^2];
        if (Value(outName, values) is { } existing)
        {
            return existing == result && Search(s, values, k + 1);
        }

        values[outName] = result;
        var found = Search(s, values, k + 1);
        values.Remove(outName);
        return found;
    }
}
