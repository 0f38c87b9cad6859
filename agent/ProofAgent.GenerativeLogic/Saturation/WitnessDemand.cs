using System.Globalization;
using System.Runtime.CompilerServices;

namespace ProofAgent.GenerativeLogic;

/// <summary>
/// A totality rule <c>in(x, X) → ∃z. in(z, Z) ∧ op(..x.., z)</c> seen as an operation: its relation, the position of its
/// output, the positions of its inputs (rule variables), the positions fixed to elements, and the inputs' rule variables.
/// </summary>
internal readonly record struct Totality(int RuleIndex, int Rel, int Output, int[] InputPositions, (int Position, int Element)[] Fixed, int[] InputVars);

/// <summary>
/// Fresh witnesses on demand: totality rules never fire eagerly (a witness for every element would never end); instead
/// a rule premise with bound inputs and no fact, or the goal, asks for the output of that operation on those inputs, and
/// between rounds each demand not already met makes one witness, within the count and depth limits.
/// </summary>
internal sealed class WitnessDemand
{
    private readonly FactStore _store;
    private readonly CongruenceClosure _closure;
    private readonly SaturationLimits _limits;
    private readonly List<Totality> _totalities = [];
    private readonly HashSet<int> _totalityRules = [];
    private readonly HashSet<int[]> _demandKeys = new(IntArrayComparer.Instance);
    private readonly List<(int Totality, int[] Inputs)> _demands = [];
    private readonly Dictionary<int, int[]> _demandProbes = [];
    private int _nextWitness = 1;

    public WitnessDemand(FactStore store, CongruenceClosure closure, SaturationLimits limits, IReadOnlyList<BlockRule> rules)
    {
        _store = store;
        _closure = closure;
        _limits = limits;
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].Rule.Conclusion is RuleConclusion.Exists { Vars.Count: 1 } ex && ex.Facts.Count == 2 && ex.Facts[0].Rel == "in")
            {
                var z = ex.Vars[0];
                var f = ex.Facts[1];
                var outputs = Enumerable.Range(0, f.Args.Count).Where(p => f.Args[p] == z).ToList();
                if (outputs.Count != 1)
                {
                    continue;
                }

                var inputs = Enumerable.Range(0, f.Args.Count).Where(p => rules[i].Rule.Vars.Contains(f.Args[p])).ToArray();
                var fixedArgs = Enumerable.Range(0, f.Args.Count).Where(p => p != outputs[0] && !inputs.Contains(p) && store.Contains(f.Args[p]))
                    .Select(p => (p, store.Id(f.Args[p]))).ToArray();
                if (inputs.Length + fixedArgs.Length + 1 == f.Args.Count)
                {
                    _totalities.Add(new Totality(i, store.RelId(f.Rel), outputs[0], inputs, fixedArgs, [.. inputs.Select(p => RuleMatcher.IndexOfVar(rules[i].Rule, f.Args[p]))]));
                    _totalityRules.Add(i);
                }
            }
        }
    }

    public IReadOnlyList<Totality> Totalities => _totalities;

    /// <summary>Witnesses made so far (by demand or by an existential rule).</summary>
    public int Witnesses { get; private set; }

    /// <summary>Whether rule <paramref name="rule"/> is a totality (used on demand only).</summary>
    public bool IsTotality(int rule) => _totalityRules.Contains(rule);

    /// <summary>The depth a witness made from a match with this binding would have.</summary>
    public int WitnessDepth(int[] binding)
    {
        var depth = 0;
        foreach (var b in binding)
        {
            depth = Math.Max(depth, _store.Depth(b));
        }

        return depth + 1;
    }

    /// <summary>The first unused name w1, w2, ... (names are never removed, so the search resumes where it stopped); counts a witness.</summary>
    public string NewWitnessName()
    {
        for (; ; _nextWitness++)
        {
            var name = "w" + _nextWitness.ToString(CultureInfo.InvariantCulture);
            if (!_store.Contains(name))
            {
                Witnesses++;
                return name;
            }
        }
    }

    /// <summary>Asks for a witness of every totality on <paramref name="rel"/> whose inputs <paramref name="values"/> binds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void DemandFor(int rel, int[] values, bool goalOutput)
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

    /// <summary>Fires the totality rule of every pending demand whose output does not exist yet, through <paramref name="conclude"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CreateDemandedWitnesses(RuleMatcher matcher, IReadOnlyList<BlockRule> rules, Action<int, int[], int[]> conclude)
    {
        var demands = _demands.ToList();
        _demands.Clear();
        foreach (var (t, rawInputs) in demands)
        {
            if (Witnesses >= _limits.MaxWitnesses)
            {
                return;
            }

            var tot = _totalities[t];
            var inputs = rawInputs.Select(_closure.Find).ToArray();
            var depth = 1 + inputs.Select(_store.Depth).DefaultIfEmpty(0).Max();
            if (depth > _limits.MaxWitnessDepth)
            {
                continue;
            }

            if (HasOutput(tot, inputs))
            {
                continue;
            }

            var rule = rules[tot.RuleIndex].Rule;
            var cr = matcher.Compiled(tot.RuleIndex);
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
                matcher.ResolvePremise(cr, i, binding, args);
                ok = _store.TryLive(cr.Rels[i], args, out premises[i]);
            }

            if (ok)
            {
                conclude(tot.RuleIndex, binding, premises);
            }
        }
    }

    /// <summary>Whether the elements the totality fixes are where <paramref name="values"/> has them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool FixedMatch(Totality tot, int[] values)
    {
        foreach (var (position, element) in tot.Fixed)
        {
            if (values[position] != _closure.Find(element))
            {
                return false;
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool InputsBound(Totality tot, int[] values)
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

    /// <summary>Whether a live fact of the totality's operation already has these inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool HasOutput(Totality tot, int[] inputs)
    {
        var list = inputs.Length > 0 ? _store.Indexed(tot.Rel, tot.InputPositions[0], inputs[0]) : _store.FactsOf(tot.Rel);
        if (list is null)
        {
            return false;
        }

        foreach (var id in list)
        {
            if (_store.IsDead(id))
            {
                continue;
            }

            var args = _store.Fact(id).Args;
            var match = true;
            for (var j = 0; j < inputs.Length && match; j++)
            {
                match = args[tot.InputPositions[j]] == inputs[j];
            }

            foreach (var (position, element) in tot.Fixed)
            {
                match = match && args[position] == _closure.Find(element);
            }

            if (match)
            {
                return true;
            }
        }

        return false;
    }
}
