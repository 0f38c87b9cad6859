using System.Runtime.CompilerServices;

namespace ProofAgent.GenerativeLogic;

/// <summary>
/// A rule compiled against this run's interned relations and elements. Argument codes: a variable index (&gt;= 0), a
/// constant element e (-2 - e), or <see cref="RuleMatcher.Unknown"/>.
/// </summary>
internal sealed class CompiledRule
{
    public required Rule Rule { get; init; }

    public required int[] Rels { get; init; }

    public required int[][] Args { get; init; }

    public required bool[] IsEq { get; init; }

    /// <summary>The premises that match facts (not equalities), in premise order: the delta positions.</summary>
    public required int[] FactPremises { get; init; }

    /// <summary>Greedy initial join order (most bound arguments first, equalities last).</summary>
    public required int[] Order { get; init; }

    /// <summary>Per premise: the totalities on its relation.</summary>
    public required int[][] Totalities { get; init; }

    public int ConclusionRel { get; init; } = -1;

    public int[]? ConclusionArgs { get; init; }

    public required int[] ConclusionValues { get; init; }

    /// <summary>Per-premise scratch (a premise sits at one depth of a join path, so one buffer each suffices).</summary>
    public required int[][] Values { get; init; }

    public required int[][] ScoreValues { get; init; }

    public required int[][] Newly { get; init; }

    public required int[] Binding { get; init; }

    public required int[] Premises { get; init; }

    public required int[] Lo { get; init; }

    public required int[] Hi { get; init; }
}

/// <summary>
/// Rule matching: rules compiled lazily to integer codes, joined with indexed lookups and a dynamic join order, and
/// evaluated semi-naively: a rule is joined only on matches that use at least one fact derived since its previous
/// evaluation (the premise in position d new, the ones before it old, the ones after it any), which is exact because
/// "new" is a suffix of every fact list. Every match found is handed to the conclusion callback. A premise that is an
/// operation with bound inputs and no fact asks <see cref="WitnessDemand"/> for a witness.
/// </summary>
internal sealed class RuleMatcher
{
    /// <summary>Argument code of a rule constant unknown when the rule was compiled (looked up by name when used).</summary>
    public const int Unknown = int.MinValue;

    private const int MaxMatchesPerJoin = 5000;

    /// <summary>The static join order of a rule (theorem rules are shared by every block of a run).</summary>
    private static readonly ConditionalWeakTable<Rule, int[]> Orders = new();

    private readonly FactStore _store;
    private readonly CongruenceClosure _closure;
    private readonly WitnessDemand _demand;
    private readonly IReadOnlyList<BlockRule> _rules;
    private readonly bool _semiNaive;
    private readonly Action<int, int[], int[]> _conclude;
    private readonly Func<bool> _contradiction;
    private readonly CompiledRule?[] _compiled;
    private readonly int[] _lastSeen;
    private readonly HashSet<int> _ruleConstants = [];
    private readonly List<int> _matches = []; // matches of the current join, flat: binding, then premise ids
    private bool _truncated;

    /// <summary>Matches are handed to <paramref name="conclude"/>(rule, binding, premises) until <paramref name="contradiction"/> says stop.</summary>
    public RuleMatcher(FactStore store, CongruenceClosure closure, WitnessDemand demand, IReadOnlyList<BlockRule> rules, bool semiNaive, Action<int, int[], int[]> conclude, Func<bool> contradiction)
    {
        _store = store;
        _closure = closure;
        _demand = demand;
        _rules = rules;
        _semiNaive = semiNaive;
        _conclude = conclude;
        _contradiction = contradiction;
        _compiled = new CompiledRule?[rules.Count];
        _lastSeen = new int[rules.Count];
    }

    /// <summary>
    /// The compiled form of rule <paramref name="r"/>, made when first needed (a block that closes early never compiles
    /// most rules). Its constants join the rule constants then; a rule compiled late was never joined, so its first
    /// join is a full one anyway (constants resolve through the closure at match time).
    /// </summary>
    public CompiledRule Compiled(int r) => _compiled[r] ??= Compile(_rules[r].Rule);

    /// <summary>
    /// Before <paramref name="old"/> is merged: if a rule constant stands for it, old facts about its representative may
    /// match that constant now, so every rule joins in full again.
    /// </summary>
    public void Merging(int old)
    {
        if (_semiNaive && StandsForRuleConstant(old))
        {
            Array.Clear(_lastSeen);
        }
    }

    private CompiledRule Compile(Rule rule)
    {
        int Code(string arg)
        {
            var v = IndexOfVar(rule, arg);
            if (v >= 0)
            {
                return v;
            }

            if (_store.TryGetId(arg, out var e))
            {
                _ruleConstants.Add(e);
                return -2 - e;
            }

            return Unknown;
        }

        var n = rule.Premises.Count;
        var atom = rule.Conclusion as RuleConclusion.Atom;
        return new CompiledRule
        {
            Rule = rule,
            Rels = [.. rule.Premises.Select(p => _store.RelId(p.Rel))],
            Args = [.. rule.Premises.Select(p => p.Args.Select(Code).ToArray())],
            IsEq = [.. rule.Premises.Select(p => p.Rel == "=")],
            FactPremises = [.. Enumerable.Range(0, n).Where(i => rule.Premises[i].Rel != "=")],
            Order = Orders.GetValue(rule, Order).AsSpan().ToArray(),
            Totalities = [.. rule.Premises.Select(p => Enumerable.Range(0, _demand.Totalities.Count).Where(t => _demand.Totalities[t].Rel == _store.RelId(p.Rel)).ToArray())],
            ConclusionRel = atom is null ? -1 : _store.RelId(atom.Fact.Rel),
            ConclusionArgs = atom?.Fact.Args.Select(Code).ToArray(),
            ConclusionValues = new int[atom?.Fact.Args.Count ?? 0],
            Values = [.. rule.Premises.Select(p => new int[p.Args.Count])],
            ScoreValues = [.. rule.Premises.Select(p => new int[p.Args.Count])],
            Newly = [.. rule.Premises.Select(p => new int[p.Args.Count])],
            Binding = new int[rule.Vars.Count],
            Premises = new int[n],
            Lo = new int[n],
            Hi = new int[n],
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void MatchRule(int r)
    {
        var cr = Compiled(r);
        var snapshot = _store.Count;
        var last = _lastSeen[r];
        var (lo, hi) = (cr.Lo, cr.Hi);
        var binding = cr.Binding;
        Array.Fill(binding, -1);
        _matches.Clear();
        _truncated = false;
        if (!_semiNaive || last == 0)
        {
            Array.Fill(lo, 0);
            Array.Fill(hi, snapshot);
            Match(r, cr, 0, snapshot);
        }
        else
        {
            // Semi-naive: premise d among the new facts [last, snapshot), the fact premises before it among the old ones
            // [0, last), the ones after it among all; every match with a new fact is found exactly once.
            for (var di = 0; di < cr.FactPremises.Length && !_truncated; di++)
            {
                var d = cr.FactPremises[di];
                if (_store.FactsOf(cr.Rels[d]) is not { Count: > 0 } rel || rel[^1] < last)
                {
                    continue;
                }

                for (var j = 0; j < cr.FactPremises.Length; j++)
                {
                    var p = cr.FactPremises[j];
                    (lo[p], hi[p]) = j < di ? (0, last) : j == di ? (last, snapshot) : (0, snapshot);
                }

                Match(r, cr, 0, snapshot);
            }
        }

        if (!_truncated)
        {
            _lastSeen[r] = snapshot;
        }

        var (vars, stride) = (binding.Length, binding.Length + cr.Premises.Length);
        for (var at = 0; at < _matches.Count && !_contradiction(); at += stride)
        {
            for (var i = 0; i < vars; i++)
            {
                binding[i] = _matches[at + i];
            }

            for (var i = 0; i < cr.Premises.Length; i++)
            {
                cr.Premises[i] = _matches[at + vars + i];
            }

            _conclude(r, binding, cr.Premises);
        }
    }

    private static int[] Order(Rule rule)
    {
        // Greedy join order: next the premise with most arguments already bound; equalities last.
        var bound = new HashSet<string>(StringComparer.Ordinal);
        var remaining = Enumerable.Range(0, rule.Premises.Count).ToList();
        var order = new List<int>();
        while (remaining.Count > 0)
        {
            var best = remaining.OrderBy(i => rule.Premises[i].Rel == "=" ? 1 : 0)
                .ThenByDescending(i => rule.Premises[i].Args.Count(a => bound.Contains(a) || !rule.Vars.Contains(a)))
                .ThenBy(i => i).First();
            order.Add(best);
            remaining.Remove(best);
            foreach (var a in rule.Premises[best].Args)
            {
                bound.Add(a);
            }
        }

        return [.. order];
    }

    /// <summary>The element an argument code stands for under <paramref name="binding"/> (-1: an unbound variable).</summary>
    public int Resolve(Rule rule, int code, string name, int[] binding) =>
        code >= 0 ? binding[code]
        : code != Unknown ? _closure.Find(-2 - code)
        : _store.TryGetId(name, out var e) ? _closure.Find(e) : throw new InvalidOperationException($"rule {rule.Name} mentions unknown constant {name}");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ResolvePremise(CompiledRule cr, int pi, int[] binding, int[] values)
    {
        var codes = cr.Args[pi];
        for (var i = 0; i < codes.Length; i++)
        {
            var code = codes[i];
            values[i] = code >= 0 ? binding[code] : code != Unknown ? _closure.Find(-2 - code) : ResolveByName(cr.Rule, cr.Rule.Premises[pi].Args[i], binding);
        }
    }

    /// <summary>By name (cold paths: existential conclusions).</summary>
    public int ResolveByName(Rule rule, string arg, int[] binding)
    {
        var v = IndexOfVar(rule, arg);
        return v >= 0 ? binding[v] : _store.TryGetId(arg, out var e) ? _closure.Find(e) : throw new InvalidOperationException($"rule {rule.Name} mentions unknown constant {arg}");
    }

    public static int IndexOfVar(Rule rule, string arg)
    {
        for (var i = 0; i < rule.Vars.Count; i++)
        {
            if (rule.Vars[i] == arg)
            {
                return i;
            }
        }

        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Match(int r, CompiledRule cr, int k, int snapshot)
    {
        if (_matches.Count > MaxMatchesPerJoin * (cr.Binding.Length + cr.Premises.Length))
        {
            _truncated = true;
            return;
        }

        var order = cr.Order;
        if (k == order.Length)
        {
            foreach (var b in cr.Binding)
            {
                _matches.Add(b);
            }

            foreach (var p in cr.Premises)
            {
                _matches.Add(p);
            }

            return;
        }

        // Dynamic join order: a fully bound premise first, then an operation whose inputs are bound (lookup or demand a
        // witness), then the premise with fewest candidates (counted in its semi-naive range); equalities last.
        var best = -1;
        var bestScore = long.MaxValue;
        for (var j = k; j < order.Length; j++)
        {
            var score = Score(cr, order[j]);
            if (score < bestScore)
            {
                (best, bestScore) = (j, score);
            }
        }

        (order[k], order[best]) = (order[best], order[k]);
        MatchPremise(r, cr, k, snapshot);
        (order[k], order[best]) = (order[best], order[k]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long Score(CompiledRule cr, int pi)
    {
        var values = cr.ScoreValues[pi];
        ResolvePremise(cr, pi, cr.Binding, values);
        if (cr.IsEq[pi])
        {
            return values[0] >= 0 || values[1] >= 0 ? 1L << 40 : 1L << 50;
        }

        var allBound = true;
        foreach (var v in values)
        {
            allBound &= v >= 0;
        }

        if (allBound)
        {
            return 0;
        }

        var functional = false;
        foreach (var t in cr.Totalities[pi])
        {
            var tot = _demand.Totalities[t];
            if (_demand.FixedMatch(tot, values))
            {
                functional = true;
                if (WitnessDemand.InputsBound(tot, values))
                {
                    return 1;
                }
            }
        }

        var rel = cr.Rels[pi];
        var best = _store.FactsOf(rel);
        for (var i = 0; i < values.Length && best is not null; i++)
        {
            if (values[i] >= 0)
            {
                var l = _store.Indexed(rel, i, values[i]);
                if (l is null || l.Count < best.Count)
                {
                    best = l;
                }
            }
        }

        long candidates = best?.Count ?? 0;
        // An operation with unbound inputs and no facts yet may still get a witness once its inputs are bound: defer it.
        if (candidates == 0 && functional)
        {
            return 1L << 30;
        }

        if (best is { Count: > 0 } && (cr.Lo[pi] > 0 || cr.Hi[pi] <= best[^1]))
        {
            candidates = LowerBound(best, cr.Hi[pi]) - LowerBound(best, cr.Lo[pi]);
        }

        return 2 + candidates;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MatchPremise(int r, CompiledRule cr, int k, int snapshot)
    {
        var (binding, premises, lo, hi) = (cr.Binding, cr.Premises, cr.Lo, cr.Hi);
        var pi = cr.Order[k];
        var codes = cr.Args[pi];
        var values = cr.Values[pi];
        ResolvePremise(cr, pi, binding, values);
        if (cr.IsEq[pi])
        {
            var (a, b) = (values[0], values[1]);
            if (a < 0 && b < 0)
            {
                return;
            }

            var e = a >= 0 ? a : b;
            if (a >= 0 && b >= 0 && a != b)
            {
                return;
            }

            if (a < 0)
            {
                binding[codes[0]] = e;
            }

            if (b < 0)
            {
                binding[codes[1]] = e;
            }

            premises[pi] = -1 - e; // reflexivity of e, materialised when the rule fires
            Match(r, cr, k + 1, snapshot);
            if (a < 0)
            {
                binding[codes[0]] = -1;
            }

            if (b < 0)
            {
                binding[codes[1]] = -1;
            }

            return;
        }

        var rel = cr.Rels[pi];
        var unbound = 0;
        foreach (var v in values)
        {
            unbound += v < 0 ? 1 : 0;
        }

        if (unbound == 0)
        {
            // A fully bound premise never demands a witness: its output is bound.
            if (_store.TryLive(rel, values, out var id) && id >= lo[pi] && id < hi[pi])
            {
                premises[pi] = id;
                Match(r, cr, k + 1, snapshot);
            }

            return;
        }

        List<int>? candidates = null;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] >= 0)
            {
                var list = _store.Indexed(rel, i, values[i]);
                if (list is null)
                {
                    candidates = [];
                    break;
                }

                if (candidates is null || list.Count < candidates.Count)
                {
                    candidates = list;
                }
            }
        }

        candidates ??= _store.FactsOf(rel) ?? [];
        var any = false;
        var newly = cr.Newly[pi];
        var count = candidates.Count;
        for (var c = LowerBound(candidates, lo[pi]); c < count; c++)
        {
            var id = candidates[c];
            if (id >= hi[pi])
            {
                break;
            }

            if (_store.IsDead(id))
            {
                continue;
            }

            var bound = Bind(_store.Fact(id).Args, codes, values, binding, newly, out var ok);
            if (ok)
            {
                any = true;
                premises[pi] = id;
                Match(r, cr, k + 1, snapshot);
            }

            for (var i = 0; i < bound; i++)
            {
                binding[newly[i]] = -1;
            }
        }

        if (!any && _rules[r].Demand && cr.Totalities[pi].Length > 0)
        {
            // A premise with bound inputs and an unbound output and no fact at all: ask for a witness of that operation.
            if ((lo[pi] > 0 || hi[pi] < snapshot) && AnyConsistent(candidates, snapshot, codes, values, binding, newly))
            {
                return;
            }

            _demand.DemandFor(rel, values, goalOutput: false);
        }
    }

    /// <summary>Binds the unbound variables of a premise to a fact's arguments; returns how many were bound.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Bind(int[] args, int[] codes, int[] values, int[] binding, int[] newly, out bool ok)
    {
        var bound = 0;
        ok = true;
        for (var i = 0; i < values.Length && ok; i++)
        {
            if (values[i] >= 0)
            {
                ok = args[i] == values[i];
            }
            else
            {
                var v = codes[i];
                if (binding[v] < 0)
                {
                    binding[v] = args[i];
                    newly[bound++] = v;
                }
                else
                {
                    ok = binding[v] == args[i];
                }
            }
        }

        return bound;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool AnyConsistent(List<int> candidates, int snapshot, int[] codes, int[] values, int[] binding, int[] newly)
    {
        foreach (var id in candidates)
        {
            if (id >= snapshot)
            {
                break;
            }

            if (_store.IsDead(id))
            {
                continue;
            }

            var bound = Bind(_store.Fact(id).Args, codes, values, binding, newly, out var ok);
            for (var i = 0; i < bound; i++)
            {
                binding[newly[i]] = -1;
            }

            if (ok)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first position in a list sorted ascending whose value is at least <paramref name="min"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int LowerBound(List<int> sorted, int min)
    {
        if (min <= 0)
        {
            return 0;
        }

        var (a, b) = (0, sorted.Count);
        while (a < b)
        {
            var mid = (a + b) >>> 1;
            if (sorted[mid] < min)
            {
                a = mid + 1;
            }
            else
            {
                b = mid;
            }
        }

        return a;
    }

    /// <summary>Whether <paramref name="e"/> is the representative of an element that a compiled rule names.</summary>
    private bool StandsForRuleConstant(int e)
    {
        foreach (var c in _ruleConstants)
        {
            if (_closure.Find(c) == e)
            {
                return true;
            }
        }

        return false;
    }
}
