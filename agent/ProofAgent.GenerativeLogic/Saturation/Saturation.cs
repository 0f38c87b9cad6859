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
/// Forward chaining over flat atoms with full provenance: the rounds of a run and what a rule match concludes. The
/// parts are separate types: <see cref="FactStore"/> (interned elements, relations and facts with their indexes),
/// <see cref="CongruenceClosure"/> (equality by union-find, merged facts rewritten with recorded steps),
/// <see cref="RuleMatcher"/> (compiled rules, indexed semi-naive joins), <see cref="WitnessDemand"/> (fresh witnesses
/// for existentials on demand of a rule premise or of the goal) and <see cref="ProofLog"/> (steps and extraction).
/// </summary>
internal sealed class Saturation
{
    private readonly SaturationLimits _limits;
    private readonly List<BlockRule> _rules;
    private readonly FactStore _store = new();
    private readonly ProofLog _log = new();
    private readonly CongruenceClosure _closure;
    private readonly WitnessDemand _demand;
    private readonly RuleMatcher _matcher;
    private readonly HashSet<int[]> _applied = new(IntArrayComparer.Instance);

    /// <summary>A run over <paramref name="elements"/>; with <paramref name="semiNaive"/> false every rule is joined in full each round (naive evaluation, kept to compare against).</summary>
    public Saturation(IEnumerable<string> elements, IEnumerable<BlockRule> rules, SaturationLimits limits, bool semiNaive = true)
    {
        _limits = limits;
        _closure = new CongruenceClosure(_store, _log);
        foreach (var e in elements)
        {
            AddElement(e, 0);
        }

        _rules = [.. rules];
        _demand = new WitnessDemand(_store, _closure, limits, _rules);
        _matcher = new RuleMatcher(_store, _closure, _demand, _rules, semiNaive, Conclude, () => Contradiction);
        _closure.Merging = _matcher.Merging;
    }

    public bool Contradiction { get; private set; }

    public int ContradictionFact { get; private set; } = -1;

    public int FactCount => _store.Count;

    public int Id(string element) => _store.Id(element);

    public void AddElement(string name, int depth)
    {
        _store.AddElement(name, depth);
        _closure.AddElement();
    }

    public int AddHypothesis(Pattern fact, string label)
    {
        var id = _log.NextId();
        var args = fact.Args.Select(a => _closure.Find(_store.TryGetId(a, out var e) ? e : throw new InvalidOperationException($"unknown element {a}"))).ToArray();
        if (fact.Rel == "=")
        {
            // Hypotheses are stated over task elements (all canonical at this point).
            _log.Record(new ProofStep.Hypothesis(id, fact, label), id);
            _store.AddDead(_store.EqRel, args);
            _closure.Enqueue(args[0], args[1], id);
            _closure.ProcessMerges();
            return id;
        }

        _log.Record(new ProofStep.Hypothesis(id, fact, label), id);
        _store.Insert(new FactRec(_store.RelId(fact.Rel), args), id);
        return id;
    }

    /// <summary>Asks for a witness of the operation in <paramref name="atom"/> (its output argument is ignored).</summary>
    public void SeedDemand(Pattern atom) => _demand.DemandFor(_store.RelId(atom.Rel), [.. atom.Args.Select(a => _closure.Find(_store.Id(a)))], goalOutput: true);

    /// <summary>Runs until the goal holds, a contradiction is found, nothing new follows, or a limit is reached.</summary>
    public bool Run(Pattern? goal, CancellationToken cancellationToken)
    {
        var goalRel = goal is null ? -1 : _store.RelId(goal.Rel);
        var goalIds = goal?.Args.Select(_store.Id).ToArray();
        if (goal is not null && _demand.Totalities.Count > 0)
        {
            _demand.DemandFor(goalRel, [.. goalIds!.Select(_closure.Find)], goalOutput: true);
        }

        for (var round = 0; round < _limits.MaxRounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var before = _store.Count + _store.ElementCount;
            for (var r = 0; r < _rules.Count && !Contradiction; r++)
            {
                if (_demand.IsTotality(r))
                {
                    continue; // totality is used on demand only: eager witnesses for every element would never end
                }

                _matcher.MatchRule(r);
                _closure.ProcessMerges();
                if (Holds(goalRel, goalIds) || _store.Count > _limits.MaxFacts)
                {
                    return Holds(goalRel, goalIds);
                }
            }

            if (Contradiction)
            {
                return true;
            }

            _demand.CreateDemandedWitnesses(_matcher, _rules, Conclude);
            _closure.ProcessMerges();
            if (Holds(goalRel, goalIds) || Contradiction)
            {
                return true;
            }

            if (_store.Count + _store.ElementCount == before)
            {
                break;
            }
        }

        return Holds(goalRel, goalIds) || Contradiction;
    }

    /// <summary>The canonical element of <paramref name="name"/>.</summary>
    public string Canonical(string name) => _store.Name(_closure.Find(_store.Id(name)));

    /// <summary>Live (canonical) facts as patterns over element names.</summary>
    public IEnumerable<Pattern> LiveFacts() => _store.LiveIds().Order().Select(id => _store.Show(_store.Fact(id).Rel, _store.Fact(id).Args));

    internal IEnumerable<string> Dump() => _store.LiveIds().Order().Select(id => $"{id}: {_store.Show(_store.Fact(id).Rel, _store.Fact(id).Args)} <- {_log.StepOf(id).GetType().Name}");

    /// <summary>Extracts the proof of <paramref name="goal"/> (or of the contradiction): only the steps it needs, in order.</summary>
    public ProofBlock Extract(Pattern goal) => _log.Extract(Contradiction ? ContradictionFact : _closure.DeriveGoal(goal));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Holds(int rel, int[]? ids)
    {
        if (ids is null)
        {
            return false;
        }

        if (rel == _store.EqRel)
        {
            return _closure.Find(ids[0]) == _closure.Find(ids[1]);
        }

        var args = new int[ids.Length];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = _closure.Find(ids[i]);
        }

        return _store.TryLive(rel, args, out _);
    }

    /// <summary>Fires rule <paramref name="r"/> on a match: records the step and adds its fact, merge, contradiction or witnesses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Conclude(int r, int[] binding, int[] premises)
    {
        var br = _rules[r];
        var rule = br.Rule;
        for (var i = 0; i < premises.Length; i++)
        {
            if (premises[i] >= 0 && _store.IsDead(premises[i]))
            {
                return; // a premise was rewritten by a merge; the rewritten fact will match in the next round
            }
        }

        // Matches were computed before earlier conclusions of this batch merged elements: re-canonicalise.
        foreach (var b in binding)
        {
            if (b < 0 || _closure.Find(b) != b)
            {
                return;
            }
        }

        int[]? atomArgs = null;
        if (rule.Conclusion is RuleConclusion.Atom { Fact: var c })
        {
            // Nothing new (the fact is there, or an equality already holds): no step, no reflexivity facts. A match found
            // again (a full join after a constant was merged) always ends here: its conclusion, canonical now, holds.
            var cr = _matcher.Compiled(r);
            var scratch = cr.ConclusionValues;
            for (var i = 0; i < scratch.Length; i++)
            {
                scratch[i] = _matcher.Resolve(rule, cr.ConclusionArgs![i], c.Args[i], binding);
            }

            if (cr.ConclusionRel == _store.EqRel ? scratch[0] == scratch[1] : _store.TryLive(cr.ConclusionRel, scratch, out _))
            {
                return;
            }

            atomArgs = scratch.AsSpan().ToArray();
        }
        else if (rule.Conclusion is RuleConclusion.Exists && (_demand.Witnesses >= _limits.MaxWitnesses || _demand.WitnessDepth(binding) > _limits.MaxWitnessDepth))
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
                var id = _log.NextId();
                var fact = new Pattern("=", [_store.Name(e), _store.Name(e)]);
                _log.Record(new ProofStep.Reflexivity(id, _store.Name(e), fact), id);
                _store.AddDead(_store.EqRel, [e, e]);
                premiseIds[i] = id;
            }
        }

        var subst = binding.Select(_store.Name).ToArray();
        switch (rule.Conclusion)
        {
            case RuleConclusion.Atom:
                {
                    var cr = _matcher.Compiled(r);
                    var id = _log.NextId();
                    _log.Record(new ProofStep.Apply(id, br.Ref, subst, premiseIds, _store.Show(cr.ConclusionRel, atomArgs!)), id);
                    if (cr.ConclusionRel == _store.EqRel)
                    {
                        _store.AddDead(_store.EqRel, atomArgs!);
                        _closure.Enqueue(atomArgs![0], atomArgs[1], id);
                    }
                    else
                    {
                        _store.Insert(new FactRec(cr.ConclusionRel, atomArgs!), id);
                    }

                    break;
                }

            case RuleConclusion.Contradiction:
                {
                    var id = _log.NextId();
                    _log.Record(new ProofStep.Apply(id, br.Ref, subst, premiseIds, new Pattern("False", [])), id);
                    _store.AddDead(_store.FalseRel, []);
                    Contradiction = true;
                    ContradictionFact = id;
                    break;
                }

            case RuleConclusion.Exists ex:
                {
                    var depth = _demand.WitnessDepth(binding);
                    var names = new List<string>();
                    var extended = rule with { Vars = [.. rule.Vars, .. ex.Vars] };
                    var full = new int[extended.Vars.Count];
                    Array.Copy(binding, full, binding.Length);
                    foreach (var _ in ex.Vars)
                    {
                        var name = _demand.NewWitnessName();
                        AddElement(name, depth);
                        full[binding.Length + names.Count] = _store.Id(name);
                        names.Add(name);
                    }

                    var facts = ex.Facts.Select(f => (Rel: _store.RelId(f.Rel), Args: f.Args.Select(a => _matcher.ResolveByName(extended, a, full)).ToArray())).ToList();
                    var first = _log.Reserve(facts.Count);
                    var step = new ProofStep.Witness(first, br.Ref, subst, premiseIds, names, [.. facts.Select(f => _store.Show(f.Rel, f.Args))]);
                    var stepIndex = _log.AddStep(step);
                    for (var i = 0; i < facts.Count; i++)
                    {
                        _log.Attach(first + i, stepIndex);
                        _store.Insert(new FactRec(facts[i].Rel, facts[i].Args), first + i);
                    }

                    break;
                }
        }
    }
}
