using System.Text;

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
internal sealed class Saturation
{
    private sealed record FactRec(string Rel, int[] Args, int Step);

    private readonly record struct Totality(int RuleIndex, string Rel, int Output, int[] InputPositions, (int Position, int Element)[] Fixed, string[] InputVars);

    private readonly SaturationLimits _limits;
    private readonly List<BlockRule> _rules;
    private readonly List<string> _names = [];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<int> _parent = [];
    private readonly List<int> _eqToParent = [];
    private readonly List<int> _depth = [];
    private readonly List<FactRec> _facts = [];
    private readonly List<bool> _dead = [];
    private readonly List<ProofStep> _steps = [];
    private readonly Dictionary<int, int> _stepOfFact = [];
    private readonly Dictionary<string, int> _live = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, int, int), List<int>> _index = [];
    private readonly Dictionary<string, List<int>> _byRel = new(StringComparer.Ordinal);
    private readonly Dictionary<int, List<int>> _byElement = [];
    private readonly HashSet<string> _applied = new(StringComparer.Ordinal);
    private readonly List<(int A, int B, int Fact)> _pendingMerges = [];
    private readonly List<Totality> _totalities = [];
    private readonly HashSet<int> _totalityRules = [];
    private readonly SortedSet<string> _demandKeys = new(StringComparer.Ordinal);
    private readonly List<(int Totality, int[] Inputs)> _demands = [];
    private int _witnessCount;
    private int _nextId;

    public Saturation(IEnumerable<string> elements, IEnumerable<BlockRule> rules, SaturationLimits limits)
    {
        _limits = limits;
        foreach (var e in elements)
        {
            AddElement(e, 0);
        }

        _rules = [.. rules];
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
                    _totalities.Add(new Totality(i, f.Rel, outputs[0], inputs, fixedArgs, [.. inputs.Select(p => f.Args[p])]));
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
    }

    public int AddHypothesis(Pattern fact, string label)
    {
        var id = _nextId++;
        var args = fact.Args.Select(a => Find(_ids.TryGetValue(a, out var e) ? e : throw new InvalidOperationException($"unknown element {a}"))).ToArray();
        if (fact.Rel == "=")
        {
            // Hypotheses are stated over task elements (all canonical at this point).
            Record(new ProofStep.Hypothesis(id, fact, label), id);
            _facts.Add(new FactRec("=", args, id));
            _dead.Add(true);
            _pendingMerges.Add((args[0], args[1], id));
            ProcessMerges();
            return id;
        }

        Record(new ProofStep.Hypothesis(id, fact, label), id);
        Insert(new FactRec(fact.Rel, args, id), id);
        return id;
    }

    private void Record(ProofStep step, int factId) => _stepOfFact[factId] = AddStep(step);

    private int AddStep(ProofStep step)
    {
        _steps.Add(step);
        return _steps.Count - 1;
    }

    private int Find(int e)
    {
        while (_parent[e] != e)
        {
            e = _parent[e];
        }

        return e;
    }

    private string Key(string rel, int[] args)
    {
        var b = new StringBuilder(rel);
        foreach (var a in args)
        {
            b.Append(',').Append(a);
        }

        return b.ToString();
    }

    private Pattern Show(string rel, int[] args) => new(rel, [.. args.Select(a => _names[a])]);

    private void Insert(FactRec fact, int id)
    {
        while (_facts.Count <= id)
        {
            _facts.Add(null!);
            _dead.Add(true);
        }

        _facts[id] = fact;
        var key = Key(fact.Rel, fact.Args);
        if (_live.ContainsKey(key))
        {
            _dead[id] = true;
            return;
        }

        _dead[id] = false;
        _live[key] = id;
        if (!_byRel.TryGetValue(fact.Rel, out var list))
        {
            _byRel[fact.Rel] = list = [];
        }

        list.Add(id);
        foreach (var e in fact.Args.Distinct())
        {
            if (!_byElement.TryGetValue(e, out var mentions))
            {
                _byElement[e] = mentions = [];
            }

            mentions.Add(id);
        }

        for (var p = 0; p < fact.Args.Length; p++)
        {
            if (!_index.TryGetValue((fact.Rel, p, fact.Args[p]), out var l))
            {
                _index[(fact.Rel, p, fact.Args[p])] = l = [];
            }

            l.Add(id);
        }
    }

    /// <summary>Asks for a witness of the operation in <paramref name="atom"/> (its output argument is ignored).</summary>
    public void SeedDemand(Pattern atom) => DemandFor(atom.Rel, [.. atom.Args.Select(a => Find(_ids[a]))], goalOutput: true);

    /// <summary>Runs until the goal holds, a contradiction is found, nothing new follows, or a limit is reached.</summary>
    public bool Run(Pattern? goal, CancellationToken cancellationToken)
    {
        if (goal is not null && _totalities.Count > 0)
        {
            DemandFor(goal.Rel, [.. goal.Args.Select(a => Find(_ids[a]))], goalOutput: true);
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
                if (Holds(goal) || _facts.Count > _limits.MaxFacts)
                {
                    return Holds(goal);
                }
            }

            if (Contradiction)
            {
                return true;
            }

            CreateDemandedWitnesses();
            ProcessMerges();
            if (Holds(goal) || Contradiction)
            {
                return true;
            }

            if (_facts.Count + _names.Count == before)
            {
                break;
            }
        }

        return Holds(goal) || Contradiction;
    }

    private bool Holds(Pattern? goal)
    {
        if (goal is null)
        {
            return false;
        }

        var args = goal.Args.Select(a => Find(_ids[a])).ToArray();
        return goal.Rel == "=" ? args[0] == args[1] : _live.ContainsKey(Key(goal.Rel, args));
    }

    private void MatchRule(int r)
    {
        var rule = _rules[r].Rule;
        var vars = rule.Vars;
        var binding = new int[vars.Count];
        Array.Fill(binding, -1);
        var premises = new int[rule.Premises.Count];
        var order = Order(rule);
        var snapshot = _facts.Count;
        var matches = new List<(int[] Binding, int[] Premises)>();
        Match(r, rule, order, 0, binding, premises, snapshot, matches);
        foreach (var (b, p) in matches)
        {
            if (Contradiction)
            {
                return;
            }

            Conclude(r, b, p);
        }
    }

    private int[] Order(Rule rule)
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

    private int Resolve(Rule rule, string arg, int[] binding)
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

    private void Match(int r, Rule rule, int[] order, int k, int[] binding, int[] premises, int snapshot, List<(int[], int[])> matches)
    {
        if (matches.Count > 5000)
        {
            return;
        }

        if (k == order.Length)
        {
            matches.Add(((int[])binding.Clone(), (int[])premises.Clone()));
            return;
        }

        // Dynamic join order: a fully bound premise first, then an operation whose inputs are bound (lookup or demand a
        // witness), then the premise with fewest candidates; equalities last.
        var best = -1;
        var bestScore = long.MaxValue;
        for (var j = k; j < order.Length; j++)
        {
            var score = Score(rule, rule.Premises[order[j]], binding);
            if (score < bestScore)
            {
                (best, bestScore) = (j, score);
            }
        }

        (order[k], order[best]) = (order[best], order[k]);
        MatchPremise(r, rule, order, k, binding, premises, snapshot, matches);
        (order[k], order[best]) = (order[best], order[k]);
    }

    private long Score(Rule rule, Pattern p, int[] binding)
    {
        var values = new int[p.Args.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Resolve(rule, p.Args[i], binding);
        }

        if (p.Rel == "=")
        {
            return values.Any(v => v >= 0) ? 1L << 40 : 1L << 50;
        }

        if (values.All(v => v >= 0))
        {
            return 0;
        }

        var functional = false;
        foreach (var tot in _totalities)
        {
            if (tot.Rel == p.Rel && tot.Fixed.All(f => values[f.Position] == Find(f.Element)))
            {
                functional = true;
                if (tot.InputPositions.All(q => values[q] >= 0))
                {
                    return 1;
                }
            }
        }

        long candidates = _byRel.TryGetValue(p.Rel, out var all) ? all.Count : 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] >= 0)
            {
                candidates = Math.Min(candidates, _index.TryGetValue((p.Rel, i, values[i]), out var l) ? l.Count : 0);
            }
        }

        // An operation with unbound inputs and no facts yet may still get a witness once its inputs are bound: defer it.
        return candidates == 0 && functional ? 1L << 30 : 2 + candidates;
    }

    private void MatchPremise(int r, Rule rule, int[] order, int k, int[] binding, int[] premises, int snapshot, List<(int[], int[])> matches)
    {
        var pi = order[k];
        var p = rule.Premises[pi];
        var values = new int[p.Args.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Resolve(rule, p.Args[i], binding);
        }

        if (p.Rel == "=")
        {
            var (a, b) = (values[0], values[1]);
            var va = IndexOfVar(rule, p.Args[0]);
            var vb = IndexOfVar(rule, p.Args[1]);
            if (a < 0 && b < 0)
            {
                return;
            }

            var e = a >= 0 ? a : b;
            if ((a >= 0 && b >= 0 && a != b))
            {
                return;
            }

            if (a < 0)
            {
                binding[va] = e;
            }

            if (b < 0)
            {
                binding[vb] = e;
            }

            premises[pi] = -1 - e; // reflexivity of e, materialised when the rule fires
            Match(r, rule, order, k + 1, binding, premises, snapshot, matches);
            if (a < 0)
            {
                binding[va] = -1;
            }

            if (b < 0)
            {
                binding[vb] = -1;
            }

            return;
        }

        if (values.All(v => v >= 0))
        {
            if (_live.TryGetValue(Key(p.Rel, values), out var id) && id < snapshot)
            {
                premises[pi] = id;
                Match(r, rule, order, k + 1, binding, premises, snapshot, matches);
            }
            else if (_rules[r].Demand)
            {
                DemandFor(p.Rel, values, goalOutput: false);
            }

            return;
        }

        List<int>? candidates = null;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] >= 0)
            {
                var list = _index.TryGetValue((p.Rel, i, values[i]), out var l) ? l : [];
                if (candidates is null || list.Count < candidates.Count)
                {
                    candidates = list;
                }
            }
        }

        candidates ??= _byRel.TryGetValue(p.Rel, out var all) ? all : [];
        var any = false;
        var count = candidates.Count;
        for (var c = 0; c < count; c++)
        {
            var id = candidates[c];
            if (id >= snapshot || _dead[id])
            {
                continue;
            }

            var fact = _facts[id];
            var ok = true;
            var newly = new List<int>();
            for (var i = 0; i < values.Length && ok; i++)
            {
                if (values[i] >= 0)
                {
                    ok = fact.Args[i] == values[i];
                }
                else
                {
                    var v = IndexOfVar(rule, p.Args[i]);
                    if (binding[v] < 0)
                    {
                        binding[v] = fact.Args[i];
                        newly.Add(v);
                    }
                    else
                    {
                        ok = binding[v] == fact.Args[i];
                    }
                }
            }

            if (ok)
            {
                any = true;
                premises[pi] = id;
                Match(r, rule, order, k + 1, binding, premises, snapshot, matches);
            }

            foreach (var v in newly)
            {
                binding[v] = -1;
            }
        }

        if (!any && _rules[r].Demand)
        {
            // A premise with bound inputs and an unbound output: ask for a witness of that operation.
            var partial = values.Select((v, i) => v >= 0 ? v : -1).ToArray();
            DemandFor(p.Rel, partial, goalOutput: false);
        }
    }

    private void DemandFor(string rel, int[] values, bool goalOutput)
    {
        for (var t = 0; t < _totalities.Count; t++)
        {
            var tot = _totalities[t];
            if (tot.Rel != rel || tot.Fixed.Any(f => values[f.Position] != Find(f.Element)) || tot.InputPositions.Any(p => values[p] < 0))
            {
                continue;
            }

            if (!goalOutput && values[tot.Output] >= 0)
            {
                continue;
            }

            var inputs = tot.InputPositions.Select(p => values[p]).ToArray();
            var key = t + ":" + string.Join(',', inputs);
            if (_demandKeys.Add(key))
            {
                _demands.Add((t, inputs));
            }
        }
    }

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

            // Already there?
            var probe = new int[tot.InputPositions.Length + tot.Fixed.Length + 1];
            if (_byRel.TryGetValue(tot.Rel, out var list) && list.Any(id => !_dead[id] && tot.InputPositions.Select((p, j) => _facts[id].Args[p] == inputs[j]).All(x => x)
                && tot.Fixed.All(f => _facts[id].Args[f.Position] == Find(f.Element))))
            {
                continue;
            }

            var rule = _rules[tot.RuleIndex].Rule;
            var binding = new int[rule.Vars.Count];
            Array.Fill(binding, -1);
            for (var j = 0; j < tot.InputVars.Length; j++)
            {
                binding[IndexOfVar(rule, tot.InputVars[j])] = inputs[j];
            }

            if (binding.Any(b => b < 0))
            {
                continue;
            }

            var premises = new int[rule.Premises.Count];
            var ok = true;
            for (var i = 0; i < rule.Premises.Count && ok; i++)
            {
                var args = rule.Premises[i].Args.Select(a => Resolve(rule, a, binding)).ToArray();
                ok = _live.TryGetValue(Key(rule.Premises[i].Rel, args), out premises[i]);
            }

            if (ok)
            {
                Conclude(tot.RuleIndex, binding, premises);
            }
        }
    }

    private void Conclude(int r, int[] binding, int[] premises)
    {
        var br = _rules[r];
        var rule = br.Rule;
        // Matches were computed before earlier conclusions of this batch merged elements: re-canonicalise.
        var canonical = binding.Select(b => b < 0 ? b : Find(b)).ToArray();
        for (var i = 0; i < premises.Length; i++)
        {
            if (premises[i] >= 0 && _dead[premises[i]])
            {
                return; // a premise was rewritten by a merge; the rewritten fact will match in the next round
            }
        }

        if (canonical.Any(b => b < 0) || canonical.Where((b, i) => b != binding[i]).Any())
        {
            return;
        }

        var applyKey = r + "|" + string.Join(',', binding) + "|" + string.Join(',', premises);
        if (!_applied.Add(applyKey))
        {
            return;
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
                _facts.Add(new FactRec("=", [e, e], id));
                _dead.Add(true);
                premiseIds[i] = id;
            }
        }

        var subst = binding.Select(b => _names[b]).ToArray();
        switch (rule.Conclusion)
        {
            case RuleConclusion.Atom { Fact: var c }:
                {
                    var args = c.Args.Select(a => Resolve(rule, a, binding)).ToArray();
                    if (c.Rel == "=")
                    {
                        if (args[0] == args[1])
                        {
                            return;
                        }

                        var id = _nextId++;
                        Record(new ProofStep.Apply(id, br.Ref, subst, premiseIds, Show("=", args)), id);
                        _facts.Add(new FactRec("=", args, id));
                        _dead.Add(true);
                        _pendingMerges.Add((args[0], args[1], id));
                    }
                    else if (!_live.ContainsKey(Key(c.Rel, args)))
                    {
                        var id = _nextId++;
                        Record(new ProofStep.Apply(id, br.Ref, subst, premiseIds, Show(c.Rel, args)), id);
                        Insert(new FactRec(c.Rel, args, id), id);
                    }

                    break;
                }

            case RuleConclusion.Contradiction:
                {
                    var id = _nextId++;
                    Record(new ProofStep.Apply(id, br.Ref, subst, premiseIds, new Pattern("False", [])), id);
                    _facts.Add(new FactRec("False", [], id));
                    _dead.Add(true);
                    Contradiction = true;
                    ContradictionFact = id;
                    break;
                }

            case RuleConclusion.Exists ex:
                {
                    if (_witnessCount >= _limits.MaxWitnesses)
                    {
                        return;
                    }

                    var depth = 1 + binding.Select(b => _depth[b]).DefaultIfEmpty(0).Max();
                    if (depth > _limits.MaxWitnessDepth)
                    {
                        return;
                    }

                    var local = (int[])binding.Clone();
                    var names = new List<string>();
                    var extended = rule with { Vars = [.. rule.Vars, .. ex.Vars] };
                    var full = new int[extended.Vars.Count];
                    Array.Copy(local, full, local.Length);
                    foreach (var _ in ex.Vars)
                    {
                        var name = FreshName("w");
                        AddElement(name, depth);
                        full[local.Length + names.Count] = _ids[name];
                        names.Add(name);
                        _witnessCount++;
                    }

                    var facts = ex.Facts.Select(f => (f.Rel, Args: f.Args.Select(a => Resolve(extended, a, full)).ToArray())).ToList();
                    var first = _nextId;
                    _nextId += facts.Count;
                    var step = new ProofStep.Witness(first, br.Ref, subst, premiseIds, names, [.. facts.Select(f => Show(f.Rel, f.Args))]);
                    var stepIndex = AddStep(step);
                    for (var i = 0; i < facts.Count; i++)
                    {
                        _stepOfFact[first + i] = stepIndex;
                        Insert(new FactRec(facts[i].Rel, facts[i].Args, first + i), first + i);
                    }

                    break;
                }
        }
    }

    private string FreshName(string prefix)
    {
        for (var i = 1; ; i++)
        {
            var name = prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!_ids.ContainsKey(name))
            {
                return name;
            }
        }
    }

    /// <summary>Merges pending equalities: the larger element joins the smaller; its live facts are rewritten with steps.</summary>
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
                var sf = Show("=", [old, rep]);
                Record(new ProofStep.Symmetry(sid, eq, sf), sid);
                _facts.Add(new FactRec("=", [old, rep], sid));
                _dead.Add(true);
                eq = sid;
            }

            _parent[old] = rep;
            _eqToParent[old] = eq;
            var affected = _byElement.TryGetValue(old, out var mentions) ? mentions.Where(id => !_dead[id]).ToList() : [];

            foreach (var id in affected.Distinct().Order())
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
                Insert(new FactRec(f.Rel, args, nid), nid);
            }

            // A functional fact may now have two outputs for the same inputs: the single-valuedness rules merge them next round.
        }
    }

    private void Kill(int id)
    {
        _dead[id] = true;
        var f = _facts[id];
        _live.Remove(Key(f.Rel, f.Args));
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
            Record(new ProofStep.Rewrite(nid, current, eq, positions, Show(_facts[current].Rel, nargs)), nid);
            _facts.Add(new FactRec(_facts[current].Rel, nargs, nid));
            _dead.Add(true);
            current = nid;
        }

        throw new InvalidOperationException("equality chain too long");
    }

    /// <summary>The canonical element of <paramref name="name"/>.</summary>
    public string Canonical(string name) => _names[Find(_ids[name])];

    /// <summary>Live (canonical) facts as patterns over element names.</summary>
    public IEnumerable<Pattern> LiveFacts() => _live.Values.Order().Select(id => Show(_facts[id].Rel, _facts[id].Args));

    internal IEnumerable<string> Dump() => _live.Values.Order().Select(id => $"{id}: {Show(_facts[id].Rel, _facts[id].Args)} <- {_steps[_stepOfFact[id]].GetType().Name}");

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
        if (goal.Rel == "=")
        {
            if (args[0] == args[1])
            {
                var id = _nextId++;
                Record(new ProofStep.Reflexivity(id, _names[args[0]], goal), id);
                _facts.Add(new FactRec("=", args, id));
                _dead.Add(true);
                return id;
            }

            // =[x, c] from x's chain, then rewrite c into y using =[c, y].
            var xc = ChainToRoot(args[0]);
            var yc = ChainToRoot(args[1]);
            var cy = SymmetryOf(yc);
            var c = _facts[xc].Args[1];
            return AddRewrite(xc, cy, [1], "=", [args[0], args[1]], c);
        }

        var current = _live[Key(goal.Rel, args.Select(Find).ToArray())];
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
            var nargs = (int[])_facts[current].Args.Clone();
            nargs[p] = want;
            current = AddRewrite(current, eq, [p], goal.Rel, nargs, have);
        }

        return current;
    }

    private int AddRewrite(int source, int eq, int[] positions, string rel, int[] args, int _)
    {
        var id = _nextId++;
        Record(new ProofStep.Rewrite(id, source, eq, positions, Show(rel, args)), id);
        _facts.Add(new FactRec(rel, args, id));
        _dead.Add(true);
        return id;
    }

    private int SymmetryOf(int eq)
    {
        var args = _facts[eq].Args;
        var id = _nextId++;
        Record(new ProofStep.Symmetry(id, eq, Show("=", [args[1], args[0]])), id);
        _facts.Add(new FactRec("=", [args[1], args[0]], id));
        _dead.Add(true);
        return id;
    }

    /// <summary>A fact =[x, root(x)] built from the merge chain of x by rewriting (transitivity).</summary>
    private int ChainToRoot(int x)
    {
        if (_parent[x] == x)
        {
            var id = _nextId++;
            Record(new ProofStep.Reflexivity(id, _names[x], Show("=", [x, x])), id);
            _facts.Add(new FactRec("=", [x, x], id));
            _dead.Add(true);
            return id;
        }

        var current = _eqToParent[x]; // =[x, parent]
        var at = _parent[x];
        while (_parent[at] != at)
        {
            var next = _eqToParent[at]; // =[at, parent(at)]
            current = AddRewrite(current, next, [1], "=", [x, _parent[at]], at);
            at = _parent[at];
        }

        return current;
    }
}
