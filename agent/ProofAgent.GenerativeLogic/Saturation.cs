using System.Globalization;
using System.Runtime.CompilerServices;

namespace ProofAgent.GenerativeLogic;

/// <summary>Limits of one forward-chaining run.</summary>
public sealed record SaturationLimits(int MaxRounds = 10, int MaxFacts = 3000, int MaxWitnesses = 30, int MaxWitnessDepth = 2)
{
    public static SaturationLimits Default { get; } = new();
}

/// <summary>A rule bound to a block: its reference (for proofs) and whether matching may demand fresh witnesses.</summary>
internal sealed record BlockRule(string Ref, Rule Rule, bool Demand);

/// <summary>
/// Forward chaining over flat atoms with indexed joins, equality by union-find (merged facts are rewritten with recorded
/// steps), fresh witnesses for existentials (on demand of a rule premise or of the goal), and full provenance.
/// </summary>
/// <remarks>
/// Evaluation is semi-naive: a rule is joined only on matches that use at least one fact derived since its previous
/// evaluation (the premise in position d new, the ones before it old, the ones after it any). Facts are numbered in
/// derivation order and every index list is sorted by number, so "new" is a suffix of each list. A merge rewrites the
/// facts of the merged element into new facts, so their matches come back through the delta; when an element that a
/// rule names as a constant is merged, every rule is joined in full again. Rules, relations and facts are interned as
/// integers: the hot loop compares and hashes no strings.
/// </remarks>
internal sealed class Saturation
{
    /// <summary>Argument code of a rule constant unknown when the rule was compiled (looked up by name when used).</summary>
    private const int Unknown = int.MinValue;

    private const int MaxMatchesPerJoin = 5000;

    /// <summary>The static join order of a rule (theorem rules are shared by every block of a run).</summary>
    private static readonly ConditionalWeakTable<Rule, int[]> Orders = new();

    private sealed class FactRec(int rel, int[] args)
    {
        public int Rel { get; } = rel;

        public int[] Args { get; } = args;

        public int Hash { get; } = LiveTable.HashOf(rel, args);
    }

    private readonly record struct Totality(int RuleIndex, int Rel, int Output, int[] InputPositions, (int Position, int Element)[] Fixed, int[] InputVars);

    /// <summary>
    /// A rule compiled against this run's interned relations and elements. Argument codes: a variable index (&gt;= 0), a
    /// constant element e (-2 - e), or <see cref="Unknown"/>.
    /// </summary>
    private sealed class CompiledRule
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

    private readonly SaturationLimits _limits;
    private readonly bool _semiNaive;
    private readonly List<BlockRule> _rules;
    private readonly CompiledRule?[] _compiled;
    private readonly List<string> _names = [];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _relNames = [];
    private readonly Dictionary<string, int> _relIds = new(StringComparer.Ordinal);
    private readonly List<int> _parent = [];
    private readonly List<int> _eqToParent = [];
    private readonly List<int> _depth = [];
    private readonly List<FactRec> _facts = [];
    private readonly List<bool> _dead = [];
    private readonly List<ProofStep> _steps = [];
    private readonly Dictionary<int, int> _stepOfFact = [];
    private readonly LiveTable _live;
    private readonly IndexTable _index = new();
    private readonly List<List<int>?> _byRel = [];
    private readonly List<List<int>?> _byElement = [];
    private readonly HashSet<int[]> _applied = new(IntArrayComparer.Instance);
    private readonly List<(int A, int B, int Fact)> _pendingMerges = [];
    private readonly List<int> _matches = []; // matches of the current join, flat: binding, then premise ids
    private readonly List<Totality> _totalities = [];
    private readonly HashSet<int> _totalityRules = [];
    private readonly HashSet<int[]> _demandKeys = new(IntArrayComparer.Instance);
    private readonly List<(int Totality, int[] Inputs)> _demands = [];
    private readonly HashSet<int> _ruleConstants = [];
    private readonly int[] _lastSeen;
    private readonly Dictionary<int, int[]> _demandProbes = [];
    private readonly int _eqRel;
    private readonly int _falseRel;
    private int _witnessCount;
    private int _nextWitness = 1;
    private int _nextId;
    private bool _truncated;

    /// <summary>A run over <paramref name="elements"/>; with <paramref name="semiNaive"/> false every rule is joined in full each round (naive evaluation, kept to compare against).</summary>
    public Saturation(IEnumerable<string> elements, IEnumerable<BlockRule> rules, SaturationLimits limits, bool semiNaive = true)
    {
        _limits = limits;
        _semiNaive = semiNaive;
        _live = new LiveTable(_facts);
        _eqRel = RelId("=");
        _falseRel = RelId("False");
        foreach (var e in elements)
        {
            AddElement(e, 0);
        }

        _rules = [.. rules];
        _lastSeen = new int[_rules.Count];
        _compiled = new CompiledRule?[_rules.Count];
        for (var i = 0; i < _rules.Count; i++)
        {
            if (_rules[i].Rule.Conclusion is RuleConclusion.Exists { Vars.Count: 1 } ex && ex.Facts.Count == 2 && ex.Facts[0].Rel == "in")
            {
                var z = ex.Vars[0];
                var f = ex.Facts[1];
                var outputs = Enumerable.Range(0, f.Args.Count).Where(p => f.Args[p] == z).ToList();
                if (outputs.Count != 1)
                {
                    continue;
                }

                var inputs = Enumerable.Range(0, f.Args.Count).Where(p => _rules[i].Rule.Vars.Contains(f.Args[p])).ToArray();
                var fixedArgs = Enumerable.Range(0, f.Args.Count).Where(p => p != outputs[0] && !inputs.Contains(p) && _ids.ContainsKey(f.Args[p]))
                    .Select(p => (p, _ids[f.Args[p]])).ToArray();
                if (inputs.Length + fixedArgs.Length + 1 == f.Args.Count)
                {
                    _totalities.Add(new Totality(i, RelId(f.Rel), outputs[0], inputs, fixedArgs, [.. inputs.Select(p => IndexOfVar(_rules[i].Rule, f.Args[p]))]));
                    _totalityRules.Add(i);
                }
            }
        }
    }

    public bool Contradiction { get; private set; } = false;

    public int ContradictionFact { get; private set; } = -1;

    public int FactCount => _facts.Count;

    public int Id(string element) => _ids[element];

    public void AddElement(string name, int depth)
    {
        _ids.Add(name, _names.Count);
        _names.Add(name);
        _parent.Add(_parent.Count);
        _eqToParent.Add(-1);
        _depth.Add(depth);
        _byElement.Add(null);
    }

    private int RelId(string rel)
    {
        if (!_relIds.TryGetValue(rel, out var id))
        {
            id = _relNames.Count;
            _relIds.Add(rel, id);
            _relNames.Add(rel);
        }

        return id;
    }

    /// <summary>
    /// The compiled form of rule <paramref name="r"/>, made when first needed (a block that closes early never compiles
    /// most rules). Its constants join <see cref="_ruleConstants"/> then; a rule compiled late was never joined, so its
    /// first join is a full one anyway (constants resolve through <see cref="Find"/> at match time).
    /// </summary>
    private CompiledRule Compiled(int r) => _compiled[r] ??= Compile(_rules[r].Rule);

    private CompiledRule Compile(Rule rule)
    {
        int Code(string arg)
        {
            var v = IndexOfVar(rule, arg);
            if (v >= 0)
            {
                return v;
            }

            if (_ids.TryGetValue(arg, out var e))
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
            Rels = [.. rule.Premises.Select(p => RelId(p.Rel))],
            Args = [.. rule.Premises.Select(p => p.Args.Select(Code).ToArray())],
            IsEq = [.. rule.Premises.Select(p => p.Rel == "=")],
            FactPremises = [.. Enumerable.Range(0, n).Where(i => rule.Premises[i].Rel != "=")],
            Order = Orders.GetValue(rule, Order).AsSpan().ToArray(),
            Totalities = [.. rule.Premises.Select(p => Enumerable.Range(0, _totalities.Count).Where(t => _totalities[t].Rel == RelId(p.Rel)).ToArray())],
            ConclusionRel = atom is null ? -1 : RelId(atom.Fact.Rel),
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

    public int AddHypothesis(Pattern fact, string label)
    {
        var id = _nextId++;
        var args = fact.Args.Select(a => Find(_ids.TryGetValue(a, out var e) ? e : throw new InvalidOperationException($"unknown element {a}"))).ToArray();
        if (fact.Rel == "=")
        {
            // Hypotheses are stated over task elements (all canonical at this point).
            Record(new ProofStep.Hypothesis(id, fact, label), id);
            AddDeadFact(_eqRel, args);
            _pendingMerges.Add((args[0], args[1], id));
            ProcessMerges();
            return id;
        }

        Record(new ProofStep.Hypothesis(id, fact, label), id);
        Insert(new FactRec(RelId(fact.Rel), args), id);
        return id;
    }

    private void Record(ProofStep step, int factId) => _stepOfFact[factId] = AddStep(step);

    private int AddStep(ProofStep step)
    {
        _steps.Add(step);
        return _steps.Count - 1;
    }

    /// <summary>A fact that is only a proof step (equalities, reflexivity, rewrites towards the goal): never matched.</summary>
    private void AddDeadFact(int rel, int[] args)
    {
        _facts.Add(new FactRec(rel, args));
        _dead.Add(true);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Find(int e)
    {
        while (_parent[e] != e)
        {
            e = _parent[e];
        }

        return e;
    }

    private bool TryLive(int rel, int[] args, out int id) => _live.TryGet(rel, args, out id);

    /// <summary>The facts of a relation, in id order (null: none yet).</summary>
    private List<int>? FactsOf(int rel) => rel < _byRel.Count ? _byRel[rel] : null;

    private static long IndexKey(int rel, int position, int element) => ((long)rel << 40) | ((long)position << 32) | (uint)element;

    private Pattern Show(int rel, int[] args) => new(_relNames[rel], [.. args.Select(a => _names[a])]);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Insert(FactRec fact, int id)
    {
        while (_facts.Count <= id)
        {
            _facts.Add(null!);
            _dead.Add(true);
        }

        _facts[id] = fact;
        if (_live.TryGet(fact.Rel, fact.Args, out _))
        {
            _dead[id] = true;
            return;
        }

        _dead[id] = false;
        _live.Add(id);
        // Fact ids only grow, so every list below stays sorted by id (the semi-naive ranges rely on it).
        while (_byRel.Count <= fact.Rel)
        {
            _byRel.Add(null);
        }

        (_byRel[fact.Rel] ??= []).Add(id);
        for (var p = 0; p < fact.Args.Length; p++)
        {
            var e = fact.Args[p];
            if (Array.IndexOf(fact.Args, e) == p)
            {
                (_byElement[e] ??= []).Add(id);
            }

            _index.GetOrAdd(IndexKey(fact.Rel, p, e)).Add(id);
        }
    }

    /// <summary>Asks for a witness of the operation in <paramref name="atom"/> (its output argument is ignored).</summary>
    public void SeedDemand(Pattern atom) => DemandFor(RelId(atom.Rel), [.. atom.Args.Select(a => Find(_ids[a]))], goalOutput: true);

    /// <summary>Runs until the goal holds, a contradiction is found, nothing new follows, or a limit is reached.</summary>
    public bool Run(Pattern? goal, CancellationToken cancellationToken)
    {
        var goalRel = goal is null ? -1 : RelId(goal.Rel);
        var goalIds = goal?.Args.Select(a => _ids[a]).ToArray();
        if (goal is not null && _totalities.Count > 0)
        {
            DemandFor(goalRel, [.. goalIds!.Select(Find)], goalOutput: true);
        }

        for (var round = 0; round < _limits.MaxRounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var before = _facts.Count + _names.Count;
            for (var r = 0; r < _rules.Count && !Contradiction; r++)
            {
                if (_totalityRules.Contains(r))
                {
                    continue; // totality is used on demand only: eager witnesses for every element would never end
                }

                MatchRule(r);
                ProcessMerges();
                if (Holds(goalRel, goalIds) || _facts.Count > _limits.MaxFacts)
                {
                    return Holds(goalRel, goalIds);
                }
            }

            if (Contradiction)
            {
                return true;
            }

            CreateDemandedWitnesses();
            ProcessMerges();
            if (Holds(goalRel, goalIds) || Contradiction)
            {
                return true;
            }

            if (_facts.Count + _names.Count == before)
            {
                break;
            }
        }

        return Holds(goalRel, goalIds) || Contradiction;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Holds(int rel, int[]? ids)
    {
        if (ids is null)
        {
            return false;
        }

        if (rel == _eqRel)
        {
            return Find(ids[0]) == Find(ids[1]);
        }

        var args = new int[ids.Length];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = Find(ids[i]);
        }

        return TryLive(rel, args, out _);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MatchRule(int r)
    {
        var cr = Compiled(r);
        var snapshot = _facts.Count;
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
                if (FactsOf(cr.Rels[d]) is not { Count: > 0 } rel || rel[^1] < last)
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
        for (var at = 0; at < _matches.Count && !Contradiction; at += stride)
        {
            for (var i = 0; i < vars; i++)
            {
                binding[i] = _matches[at + i];
            }

            for (var i = 0; i < cr.Premises.Length; i++)
            {
                cr.Premises[i] = _matches[at + vars + i];
            }

            Conclude(r, binding, cr.Premises);
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
    private int Resolve(Rule rule, int code, string name, int[] binding) =>
        code >= 0 ? binding[code]
        : code != Unknown ? Find(-2 - code)
        : _ids.TryGetValue(name, out var e) ? Find(e) : throw new InvalidOperationException($"rule {rule.Name} mentions unknown constant {name}");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ResolvePremise(CompiledRule cr, int pi, int[] binding, int[] values)
    {
        var codes = cr.Args[pi];
        for (var i = 0; i < codes.Length; i++)
        {
            var code = codes[i];
            values[i] = code >= 0 ? binding[code] : code != Unknown ? Find(-2 - code) : ResolveByName(cr.Rule, cr.Rule.Premises[pi].Args[i], binding);
        }
    }

    /// <summary>By name (cold paths: existential conclusions).</summary>
    private int ResolveByName(Rule rule, string arg, int[] binding)
    {
        var v = IndexOfVar(rule, arg);
        return v >= 0 ? binding[v] : _ids.TryGetValue(arg, out var e) ? Find(e) : throw new InvalidOperationException($"rule {rule.Name} mentions unknown constant {arg}");
    }

    private static int IndexOfVar(Rule rule, string arg)
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
            var tot = _totalities[t];
            if (FixedMatch(tot, values))
            {
                functional = true;
                if (InputsBound(tot, values))
                {
                    return 1;
                }
            }
        }

        var rel = cr.Rels[pi];
        var best = FactsOf(rel);
        for (var i = 0; i < values.Length && best is not null; i++)
        {
            if (values[i] >= 0)
            {
                var l = _index.Get(IndexKey(rel, i, values[i]));
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
    private bool FixedMatch(Totality tot, int[] values)
    {
        foreach (var (position, element) in tot.Fixed)
        {
            if (values[position] != Find(element))
            {
                return false;
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool InputsBound(Totality tot, int[] values)
    {
        foreach (var q in tot.InputPositions)
        {
            if (values[q] < 0)
            {
                return false;
            }
        }

        return true;
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
            if (TryLive(rel, values, out var id) && id >= lo[pi] && id < hi[pi])
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
                var list = _index.Get(IndexKey(rel, i, values[i]));
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

        candidates ??= FactsOf(rel) ?? [];
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

            if (_dead[id])
            {
                continue;
            }

            var bound = Bind(_facts[id].Args, codes, values, binding, newly, out var ok);
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

            DemandFor(rel, values, goalOutput: false);
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

            if (_dead[id])
            {
                continue;
            }

            var bound = Bind(_facts[id].Args, codes, values, binding, newly, out var ok);
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DemandFor(int rel, int[] values, bool goalOutput)
    {
        for (var t = 0; t < _totalities.Count; t++)
        {
            var tot = _totalities[t];
            if (tot.Rel != rel || !FixedMatch(tot, values) || !InputsBound(tot, values))
            {
                continue;
            }

            if (!goalOutput && values[tot.Output] >= 0)
            {
                continue;
            }

            if (!_demandProbes.TryGetValue(tot.InputPositions.Length, out var key))
            {
                _demandProbes[tot.InputPositions.Length] = key = new int[tot.InputPositions.Length + 1];
            }

            key[0] = t;
            for (var j = 0; j < tot.InputPositions.Length; j++)
            {
                key[j + 1] = values[tot.InputPositions[j]];
            }

            if (!_demandKeys.Contains(key))
            {
                _demandKeys.Add(key.AsSpan().ToArray());
                _demands.Add((t, key[1..]));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CreateDemandedWitnesses()
    {
        var demands = _demands.ToList();
        _demands.Clear();
        foreach (var (t, rawInputs) in demands)
        {
            if (_witnessCount >= _limits.MaxWitnesses)
            {
                return;
            }

            var tot = _totalities[t];
            var inputs = rawInputs.Select(Find).ToArray();
            var depth = 1 + inputs.Select(i => _depth[i]).DefaultIfEmpty(0).Max();
            if (depth > _limits.MaxWitnessDepth)
            {
                continue;
            }

            if (HasOutput(tot, inputs))
            {
                continue;
            }

            var rule = _rules[tot.RuleIndex].Rule;
            var cr = Compiled(tot.RuleIndex);
            var binding = new int[rule.Vars.Count];
            Array.Fill(binding, -1);
            for (var j = 0; j < tot.InputVars.Length; j++)
            {
                binding[tot.InputVars[j]] = inputs[j];
            }

            if (binding.Any(b => b < 0))
            {
                continue;
            }

            var premises = new int[rule.Premises.Count];
            var ok = true;
            for (var i = 0; i < rule.Premises.Count && ok; i++)
            {
                var args = new int[rule.Premises[i].Args.Count];
                ResolvePremise(cr, i, binding, args);
                ok = TryLive(cr.Rels[i], args, out premises[i]);
            }

            if (ok)
            {
                Conclude(tot.RuleIndex, binding, premises);
            }
        }
    }

    /// <summary>Whether a live fact of the totality's operation already has these inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool HasOutput(Totality tot, int[] inputs)
    {
        List<int>? list;
        if (inputs.Length > 0)
        {
            list = _index.Get(IndexKey(tot.Rel, tot.InputPositions[0], inputs[0]));
        }
        else
        {
            list = FactsOf(tot.Rel);
        }

        if (list is null)
        {
            return false;
        }

        foreach (var id in list)
        {
            if (_dead[id])
            {
                continue;
            }

            var args = _facts[id].Args;
            var match = true;
            for (var j = 0; j < inputs.Length && match; j++)
            {
                match = args[tot.InputPositions[j]] == inputs[j];
            }

            foreach (var (position, element) in tot.Fixed)
            {
                match = match && args[position] == Find(element);
            }

            if (match)
            {
                return true;
            }
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Conclude(int r, int[] binding, int[] premises)
    {
        var br = _rules[r];
        var rule = br.Rule;
        for (var i = 0; i < premises.Length; i++)
        {
            if (premises[i] >= 0 && _dead[premises[i]])
            {
                return; // a premise was rewritten by a merge; the rewritten fact will match in the next round
            }
        }

        // Matches were computed before earlier conclusions of this batch merged elements: re-canonicalise.
        foreach (var b in binding)
        {
            if (b < 0 || Find(b) != b)
            {
                return;
            }
        }

        int[]? atomArgs = null;
        if (rule.Conclusion is RuleConclusion.Atom { Fact: var c })
        {
            // Nothing new (the fact is there, or an equality already holds): no step, no reflexivity facts. A match found
            // again (a full join after a constant was merged) always ends here: its conclusion, canonical now, holds.
            var cr = Compiled(r);
            var scratch = cr.ConclusionValues;
            for (var i = 0; i < scratch.Length; i++)
            {
                scratch[i] = Resolve(rule, cr.ConclusionArgs![i], c.Args[i], binding);
            }

            if (cr.ConclusionRel == _eqRel ? scratch[0] == scratch[1] : TryLive(cr.ConclusionRel, scratch, out _))
            {
                return;
            }

            atomArgs = scratch.AsSpan().ToArray();
        }
        else if (rule.Conclusion is RuleConclusion.Exists && (_witnessCount >= _limits.MaxWitnesses || WitnessDepth(binding) > _limits.MaxWitnessDepth))
        {
            return;
        }

        if (rule.Conclusion is not RuleConclusion.Atom)
        {
            // Witnesses must not be made twice for the same match.
            var applyKey = new int[1 + binding.Length + premises.Length];
            applyKey[0] = r;
            binding.CopyTo(applyKey, 1);
            premises.CopyTo(applyKey, 1 + binding.Length);
            if (!_applied.Add(applyKey))
            {
                return;
            }
        }

        var premiseIds = new int[premises.Length];
        for (var i = 0; i < premises.Length; i++)
        {
            if (premises[i] >= 0)
            {
                premiseIds[i] = premises[i];
            }
            else
            {
                var e = -1 - premises[i];
                var id = _nextId++;
                var fact = new Pattern("=", [_names[e], _names[e]]);
                Record(new ProofStep.Reflexivity(id, _names[e], fact), id);
                AddDeadFact(_eqRel, [e, e]);
                premiseIds[i] = id;
            }
        }

        var subst = binding.Select(b => _names[b]).ToArray();
        switch (rule.Conclusion)
        {
            case RuleConclusion.Atom:
                {
                    var cr = Compiled(r);
                    var id = _nextId++;
                    Record(new ProofStep.Apply(id, br.Ref, subst, premiseIds, Show(cr.ConclusionRel, atomArgs!)), id);
                    if (cr.ConclusionRel == _eqRel)
                    {
                        AddDeadFact(_eqRel, atomArgs!);
                        _pendingMerges.Add((atomArgs![0], atomArgs[1], id));
                    }
                    else
                    {
                        Insert(new FactRec(cr.ConclusionRel, atomArgs!), id);
                    }

                    break;
                }

            case RuleConclusion.Contradiction:
                {
                    var id = _nextId++;
                    Record(new ProofStep.Apply(id, br.Ref, subst, premiseIds, new Pattern("False", [])), id);
                    AddDeadFact(_falseRel, []);
                    Contradiction = true;
                    ContradictionFact = id;
                    break;
                }

            case RuleConclusion.Exists ex:
                {
                    var depth = WitnessDepth(binding);
                    var names = new List<string>();
                    var extended = rule with { Vars = [.. rule.Vars, .. ex.Vars] };
                    var full = new int[extended.Vars.Count];
                    Array.Copy(binding, full, binding.Length);
                    foreach (var _ in ex.Vars)
                    {
                        var name = FreshWitnessName();
                        AddElement(name, depth);
                        full[binding.Length + names.Count] = _ids[name];
                        names.Add(name);
                        _witnessCount++;
                    }

                    var facts = ex.Facts.Select(f => (Rel: RelId(f.Rel), Args: f.Args.Select(a => ResolveByName(extended, a, full)).ToArray())).ToList();
                    var first = _nextId;
                    _nextId += facts.Count;
                    var step = new ProofStep.Witness(first, br.Ref, subst, premiseIds, names, [.. facts.Select(f => Show(f.Rel, f.Args))]);
                    var stepIndex = AddStep(step);
                    for (var i = 0; i < facts.Count; i++)
                    {
                        _stepOfFact[first + i] = stepIndex;
                        Insert(new FactRec(facts[i].Rel, facts[i].Args), first + i);
                    }

                    break;
                }
        }
    }

    private int WitnessDepth(int[] binding)
    {
        var depth = 0;
        foreach (var b in binding)
        {
            depth = Math.Max(depth, _depth[b]);
        }

        return depth + 1;
    }

    /// <summary>The first unused name w1, w2, ... (names are never removed, so the search resumes where it stopped).</summary>
    private string FreshWitnessName()
    {
        for (; ; _nextWitness++)
        {
            var name = "w" + _nextWitness.ToString(CultureInfo.InvariantCulture);
            if (!_ids.ContainsKey(name))
            {
                return name;
            }
        }
    }

    /// <summary>Merges pending equalities: the larger element joins the smaller; its live facts are rewritten with steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProcessMerges()
    {
        while (_pendingMerges.Count > 0)
        {
            var (a0, b0, fact) = _pendingMerges[0];
            _pendingMerges.RemoveAt(0);
            var a = Find(a0);
            var b = Find(b0);
            if (a == b)
            {
                continue;
            }

            // The recorded fact is =[a0,b0] with a0, b0 canonical when it was derived; bring it to =[old,rep].
            var eq = fact;
            var eqArgs = _facts[fact].Args;
            if (eqArgs[0] != a || eqArgs[1] != b)
            {
                eq = Canonicalise(fact);
                eqArgs = _facts[eq].Args;
                if (eqArgs[0] == eqArgs[1])
                {
                    continue;
                }

                (a, b) = (eqArgs[0], eqArgs[1]);
            }

            var (rep, old) = a < b ? (a, b) : (b, a);
            if (old == eqArgs[1])
            {
                var sid = _nextId++;
                var sf = Show(_eqRel, [old, rep]);
                Record(new ProofStep.Symmetry(sid, eq, sf), sid);
                AddDeadFact(_eqRel, [old, rep]);
                eq = sid;
            }

            if (_semiNaive && StandsForRuleConstant(old))
            {
                // A rule constant now stands for rep: old facts about rep may match it, so every rule joins in full again.
                Array.Clear(_lastSeen);
            }

            _parent[old] = rep;
            _eqToParent[old] = eq;

            var affected = _byElement[old] is { } mentions ? mentions.Where(id => !_dead[id]).ToList() : [];
            foreach (var id in affected)
            {
                if (_dead[id])
                {
                    continue;
                }

                Kill(id);
                var f = _facts[id];
                var positions = Enumerable.Range(0, f.Args.Length).Where(p => f.Args[p] == old).ToArray();
                var args = f.Args.Select(x => x == old ? rep : x).ToArray();
                var nid = _nextId++;
                Record(new ProofStep.Rewrite(nid, id, eq, positions, Show(f.Rel, args)), nid);
                Insert(new FactRec(f.Rel, args), nid);
            }

            // A functional fact may now have two outputs for the same inputs: the single-valuedness rules merge them next round.
        }
    }

    /// <summary>Whether <paramref name="e"/> is the representative of an element that a compiled rule names.</summary>
    private bool StandsForRuleConstant(int e)
    {
        foreach (var c in _ruleConstants)
        {
            if (Find(c) == e)
            {
                return true;
            }
        }

        return false;
    }

    private void Kill(int id)
    {
        _dead[id] = true;
        var f = _facts[id];
        _live.Remove(id);
    }

    /// <summary>Derives, with steps, the version of equality fact <paramref name="fact"/> whose sides are canonical.</summary>
    private int Canonicalise(int fact)
    {
        var current = fact;
        for (var guard = 0; guard < 1000; guard++)
        {
            var args = _facts[current].Args;
            var pos = Array.FindIndex(args, x => _parent[x] != x);
            if (pos < 0)
            {
                return current;
            }

            var old = args[pos];
            var eq = _eqToParent[old];
            var rep = _parent[old];
            var positions = Enumerable.Range(0, args.Length).Where(p => args[p] == old).ToArray();
            var nargs = args.Select(x => x == old ? rep : x).ToArray();
            var nid = _nextId++;
            var rel = _facts[current].Rel;
            Record(new ProofStep.Rewrite(nid, current, eq, positions, Show(rel, nargs)), nid);
            AddDeadFact(rel, nargs);
            current = nid;
        }

        throw new InvalidOperationException("equality chain too long");
    }

    /// <summary>The canonical element of <paramref name="name"/>.</summary>
    public string Canonical(string name) => _names[Find(_ids[name])];

    /// <summary>Live (canonical) facts as patterns over element names.</summary>
    public IEnumerable<Pattern> LiveFacts() => _live.Ids().Order().Select(id => Show(_facts[id].Rel, _facts[id].Args));

    internal IEnumerable<string> Dump() => _live.Ids().Order().Select(id => $"{id}: {Show(_facts[id].Rel, _facts[id].Args)} <- {_steps[_stepOfFact[id]].GetType().Name}");

    /// <summary>Extracts the proof of <paramref name="goal"/> (or of the contradiction): only the steps it needs, in order.</summary>
    public ProofBlock Extract(Pattern goal)
    {
        int closing;
        if (Contradiction)
        {
            closing = ContradictionFact;
        }
        else
        {
            closing = DeriveGoal(goal);
        }

        var needed = new HashSet<int>();
        var stack = new Stack<int>();
        stack.Push(closing);
        while (stack.Count > 0)
        {
            var f = stack.Pop();
            var step = _steps[_stepOfFact[f]];
            if (!needed.Add(_stepOfFact[f]))
            {
                continue;
            }

            foreach (var p in Premises(step))
            {
                stack.Push(p);
            }
        }

        return new ProofBlock([.. needed.Order().Select(i => _steps[i])], closing);
    }

    private static IEnumerable<int> Premises(ProofStep step) => step switch
    {
        ProofStep.Apply a => a.Premises,
        ProofStep.Witness w => w.Premises,
        ProofStep.Rewrite r => [r.Source, r.Equality],
        ProofStep.Symmetry s => [s.Equality],
        _ => [],
    };

    /// <summary>Turns the canonical fact that matches the goal into the goal as stated (rewriting representatives back).</summary>
    private int DeriveGoal(Pattern goal)
    {
        var args = goal.Args.Select(a => _ids[a]).ToArray();
        var goalRel = RelId(goal.Rel);
        if (goalRel == _eqRel)
        {
            if (args[0] == args[1])
            {
                var id = _nextId++;
                Record(new ProofStep.Reflexivity(id, _names[args[0]], goal), id);
                AddDeadFact(_eqRel, args);
                return id;
            }

            // =[x, c] from x's chain, then rewrite c into y using =[c, y].
            var xc = ChainToRoot(args[0]);
            var yc = ChainToRoot(args[1]);
            var cy = SymmetryOf(yc);
            return AddRewrite(xc, cy, [1], _eqRel, [args[0], args[1]]);
        }

        if (!_live.TryGet(goalRel, [.. args.Select(Find)], out var current))
        {
            throw new InvalidOperationException($"the goal {goal} does not hold");
        }

        for (var p = 0; p < args.Length; p++)
        {
            var want = args[p];
            var have = _facts[current].Args[p];
            if (want == have)
            {
                continue;
            }

            // have is the root of want: rewrite position p with =[have, want].
            var eq = SymmetryOf(ChainToRoot(want));
            var nargs = _facts[current].Args.AsSpan().ToArray();
            nargs[p] = want;
            current = AddRewrite(current, eq, [p], goalRel, nargs);
        }

        return current;
    }

    private int AddRewrite(int source, int eq, int[] positions, int rel, int[] args)
    {
        var id = _nextId++;
        Record(new ProofStep.Rewrite(id, source, eq, positions, Show(rel, args)), id);
        AddDeadFact(rel, args);
        return id;
    }

    private int SymmetryOf(int eq)
    {
        var args = _facts[eq].Args;
        var id = _nextId++;
        Record(new ProofStep.Symmetry(id, eq, Show(_eqRel, [args[1], args[0]])), id);
        AddDeadFact(_eqRel, [args[1], args[0]]);
        return id;
    }

    /// <summary>A fact =[x, root(x)] built from the merge chain of x by rewriting (transitivity).</summary>
    private int ChainToRoot(int x)
    {
        if (_parent[x] == x)
        {
            var id = _nextId++;
            Record(new ProofStep.Reflexivity(id, _names[x], Show(_eqRel, [x, x])), id);
            AddDeadFact(_eqRel, [x, x]);
            return id;
        }

        var current = _eqToParent[x]; // =[x, parent]
        var at = _parent[x];
        while (_parent[at] != at)
        {
            var next = _eqToParent[at]; // =[at, parent(at)]
            current = AddRewrite(current, next, [1], _eqRel, [x, _parent[at]]);
            at = _parent[at];
        }

        return current;
    }

    /// <summary>
    /// The live facts by content: open addressing with linear probing over fact ids (the key is read from the fact), so a
    /// lookup allocates nothing. Removal shifts the following entries back (no tombstones).
    /// </summary>
    private sealed class LiveTable(List<FactRec> facts)
    {
        private int[] _slots = Empty(64);
        private int _count;

        private static int[] Empty(int size)
        {
            var slots = new int[size];
            Array.Fill(slots, -1);
            return slots;
        }

        public static int HashOf(int rel, int[] args)
        {
            unchecked
            {
                var h = (uint)rel * 0x9E3779B1u;
                foreach (var a in args)
                {
                    h = (h ^ (uint)a) * 0x85EBCA77u;
                    h ^= h >> 15;
                }

                return (int)(h & 0x7FFFFFFF);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryGet(int rel, int[] args, out int id)
        {
            var mask = _slots.Length - 1;
            for (var i = HashOf(rel, args) & mask; ; i = (i + 1) & mask)
            {
                var s = _slots[i];
                if (s < 0)
                {
                    id = -1;
                    return false;
                }

                var f = facts[s];
                if (f.Rel == rel && f.Args.AsSpan().SequenceEqual(args))
                {
                    id = s;
                    return true;
                }
            }
        }

        /// <summary>Adds fact <paramref name="id"/>, whose content is not in the table.</summary>
        public void Add(int id)
        {
            if ((_count + 1) * 2 > _slots.Length)
            {
                var old = _slots;
                _slots = Empty(old.Length * 2);
                foreach (var s in old)
                {
                    if (s >= 0)
                    {
                        Place(s);
                    }
                }
            }

            Place(id);
            _count++;
        }

        private void Place(int id)
        {
            var mask = _slots.Length - 1;
            var i = facts[id].Hash & mask;
            while (_slots[i] >= 0)
            {
                i = (i + 1) & mask;
            }

            _slots[i] = id;
        }

        /// <summary>Removes fact <paramref name="id"/>, which is in the table.</summary>
        public void Remove(int id)
        {
            var mask = _slots.Length - 1;
            var i = facts[id].Hash & mask;
            while (_slots[i] != id)
            {
                i = (i + 1) & mask;
            }

            for (var j = (i + 1) & mask; _slots[j] >= 0; j = (j + 1) & mask)
            {
                // The entry at j moves into the hole at i unless its home slot lies cyclically in (i, j].
                var home = facts[_slots[j]].Hash & mask;
                var stays = i <= j ? i < home && home <= j : i < home || home <= j;
                if (!stays)
                {
                    _slots[i] = _slots[j];
                    i = j;
                }
            }

            _slots[i] = -1;
            _count--;
        }

        public IEnumerable<int> Ids() => _slots.Where(s => s >= 0);
    }

    /// <summary>Fact lists by (relation, position, element): open addressing over packed long keys, no removal.</summary>
    private sealed class IndexTable
    {
        private long[] _keys = new long[256];
        private List<int>?[] _lists = new List<int>?[256];
        private int _count;

        private static int Home(long key, int mask) => (int)((ulong)(key * unchecked((long)0x9E3779B97F4A7C15)) >> 40) & mask;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public List<int>? Get(long key)
        {
            var mask = _keys.Length - 1;
            for (var i = Home(key, mask); ; i = (i + 1) & mask)
            {
                var list = _lists[i];
                if (list is null || _keys[i] == key)
                {
                    return list;
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public List<int> GetOrAdd(long key)
        {
            if (Get(key) is { } found)
            {
                return found;
            }

            if ((_count + 1) * 2 > _keys.Length)
            {
                var (keys, lists) = (_keys, _lists);
                _keys = new long[keys.Length * 2];
                _lists = new List<int>?[keys.Length * 2];
                for (var i = 0; i < keys.Length; i++)
                {
                    if (lists[i] is { } l)
                    {
                        Put(keys[i], l);
                    }
                }
            }

            var list = new List<int>();
            Put(key, list);
            _count++;
            return list;
        }

        private void Put(long key, List<int> list)
        {
            var mask = _keys.Length - 1;
            var i = Home(key, mask);
            while (_lists[i] is not null)
            {
                i = (i + 1) & mask;
            }

            (_keys[i], _lists[i]) = (key, list);
        }
    }

    /// <summary>Content equality and a fixed (unseeded) hash for int[] keys: no randomised hashing anywhere.</summary>
    private sealed class IntArrayComparer : IEqualityComparer<int[]>
    {
        public static readonly IntArrayComparer Instance = new();

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int GetHashCode(int[] key)
        {
            unchecked
            {
                var h = (uint)key.Length * 0x9E3779B1u;
                foreach (var v in key)
                {
                    h = (h ^ (uint)v) * 0x85EBCA77u;
                    h ^= h >> 13;
                }

                return (int)h;
            }
        }
    }
}
