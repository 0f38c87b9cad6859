using System.Globalization;

namespace ProofAgent.GenerativeLogic;

/// <summary>Limits of conjecture generation.</summary>
public sealed record ConjectureOptions(int MaxPremises = 4, int MaxAtoms = 5, int MaxVars = 7, int MaxFreeInputs = 3, int ModelSize = 9)
{
    public static ConjectureOptions Default { get; } = new();
}

/// <summary>A term: a leaf (variable x, y, z or an element constant) or an operation on terms.</summary>
internal sealed record Term(Operation? Op, string? Leaf, Term[] Children, int Size, string Text);

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

    private static string Var(int i) => "v" + (i + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// All canonical candidates, in a fixed order (fewer premises, fewer variables, then ordinal). Terms over three
    /// variables and the element constants, in normal form for the recursive axioms (no x+0, x+s(y), ...), are evaluated
    /// on the finite model; terms with the same values on every assignment give equations t1 = t2, flattened into
    /// premise chains; operations on one varying argument give cancellation candidates (t(x) = t(y) implies x = y).
    /// </summary>
    public IReadOnlyList<Statement> Generate(FiniteModel model, CancellationToken cancellationToken)
    {
        var zero = theory.Induction?.Args[1];
        var succ = Operations.FirstOrDefault(o => o.Inputs == 1 && o.Rel == "in2" && o.Op == theory.Induction?.Args[2]);
        var leaves = new[] { "x", "y", "z" };
        var assignments = new List<int[]>();
        var range = Math.Min(3, model.Size);
        for (var x = 0; x < range; x++)
        {
            for (var y = 0; y < range; y++)
            {
                for (var z = 0; z < range; z++)
                {
                    assignments.Add([x, y, z]);
                }
            }
        }

        // Terms are built only from class representatives (the first term met with given values on every assignment);
        // every other term t yields the equation t = representative(t).
        var representatives = new Dictionary<string, Term>(StringComparer.Ordinal);
        var equations = new List<(Term Big, Term Small)>();
        var levels = new List<List<Term>>();
        levels.Add([]);
        foreach (var leaf in leaves.Concat(ElementConstants))
        {
            var t = new Term(null, leaf, [], 0, leaf);
            representatives.TryAdd(Fingerprint(model, t, assignments), t);
            levels[0].Add(t);
        }

        var maxSide = Math.Min(3, options.MaxAtoms - 1);
        for (var size = 1; size <= maxSide; size++)
        {
            var level = new List<Term>();
            foreach (var op in Operations)
            {
                foreach (var children in Children(levels, op.Inputs, size - 1))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (op.Inputs == 2 && (children[1].Leaf == zero || (succ is not null && children[1].Op == succ)))
                    {
                        continue; // reducible by the recursive axioms
                    }

                    var t = new Term(op, null, children, size, $"{op.Op}({string.Join(',', children.Select(c => c.Text))})");
                    var vars = Vars(t);
                    if (vars.Count == 0 || (size > 1 && children.Any(c => c.Leaf is not null && ElementConstants.Contains(c.Leaf))))
                    {
                        continue; // ground terms, and constants inside compound terms
                    }

                    var key = Fingerprint(model, t, assignments);
                    if (key.Split(',').All(k => k == "?"))
                    {
                        continue;
                    }

                    if (representatives.TryGetValue(key, out var rep))
                    {
                        if (rep.Size + size <= options.MaxAtoms && Vars(rep).SetEquals(vars))
                        {
                            equations.Add((t, rep));
                        }
                    }
                    else
                    {
                        representatives[key] = t;
                        level.Add(t);
                    }
                }
            }

            levels.Add(level);
        }

        var seen = new Dictionary<string, Statement>(StringComparer.Ordinal);
        foreach (var (big, small) in equations)
        {
            if (Flatten(big, small) is { } st && st.Premises.Count <= options.MaxPremises && st.Vars.Count <= options.MaxVars)
            {
                var c = Canonicalize(st.Premises, st.Conclusion, st.Vars);
                seen.TryAdd(c.Key, c.Statement);
            }
        }

        // Cancellation: op(.., x, ..) = op(.., y, ..) implies x = y.
        foreach (var op in Operations.Where(o => o.Inputs == 2))
        {
            for (var pos = 0; pos < 2; pos++)
            {
                string[] a = pos == 0 ? ["v2", "v1"] : ["v1", "v2"];
                string[] b = pos == 0 ? ["v4", "v1"] : ["v1", "v4"];
                var st = new Statement(["v1", "v2", "v3", "v4"], [op.Atom(a, "v3"), op.Atom(b, "v3")], new Pattern("=", ["v2", "v4"]));
                var c = Canonicalize(st.Premises, st.Conclusion, st.Vars);
                seen.TryAdd(c.Key, c.Statement);
            }
        }

        return [.. seen.OrderBy(kv => kv.Value.Premises.Count).ThenBy(kv => kv.Value.Vars.Count).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value)];
    }

    private static string Fingerprint(FiniteModel model, Term t, List<int[]> assignments) =>
        string.Join(',', assignments.Select(a => model.Evaluate(t, a)?.ToString(CultureInfo.InvariantCulture) ?? "?"));

    private static HashSet<string> Vars(Term t) => t.Leaf is { } l ? (l is "x" or "y" or "z" ? [l] : []) : [.. t.Children.SelectMany(Vars)];

    private static IEnumerable<Term[]> Children(List<List<Term>> levels, int arity, int total)
    {
        if (arity == 1)
        {
            foreach (var t in levels[total])
            {
                yield return [t];
            }

            yield break;
        }

        for (var left = 0; left <= total; left++)
        {
            foreach (var l in levels[left])
            {
                foreach (var r in levels[total - left])
                {
                    yield return [l, r];
                }
            }
        }
    }

    /// <summary>t1 = t2 as premises (one per distinct compound subterm, shared ones once) and the root of t2 as conclusion.</summary>
    private Statement? Flatten(Term big, Term small)
    {
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        var premises = new List<Pattern>();
        var names = new List<string>();
        string Name(Term t)
        {
            if (t.Leaf is { } leaf)
            {
                if (ElementConstants.Contains(leaf))
                {
                    return leaf;
                }

                if (!vars.TryGetValue(leaf, out var v))
                {
                    vars[leaf] = v = Var(names.Count);
                    names.Add(v);
                }

                return v;
            }

            if (vars.TryGetValue(t.Text, out var existing))
            {
                return existing;
            }

            var inputs = t.Children.Select(Name).ToList();
            var output = Var(names.Count);
            names.Add(output);
            vars[t.Text] = output;
            premises.Add(t.Op!.Atom(inputs, output));
            return output;
        }

        var left = Name(big);
        Pattern conclusion;
        if (small.Leaf is not null || vars.ContainsKey(small.Text))
        {
            var right = Name(small);
            if (right == left)
            {
                return null;
            }

            conclusion = new Pattern("=", [left, right]);
        }
        else
        {
            var inputs = small.Children.Select(Name).ToList();
            conclusion = small.Op!.Atom(inputs, left);
        }

        return new Statement(names, premises, conclusion);
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

    internal int? Evaluate(Term term, int[] assignment)
    {
        if (term.Leaf is { } leaf)
        {
            return leaf switch { "x" => assignment[0], "y" => assignment[1], "z" => assignment[2], _ => Constants.TryGetValue(leaf, out var c) ? c : null };
        }

        var inputs = new int[term.Children.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            if (Evaluate(term.Children[i], assignment) is not int v)
            {
                return null;
            }

            inputs[i] = v;
        }

        return _table.TryGetValue(term.Op!.Rel + "|" + term.Op.Op + "|" + string.Join(',', inputs), out var r) ? int.Parse(r, CultureInfo.InvariantCulture) : null;
    }

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
