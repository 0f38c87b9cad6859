namespace ProofAgent.GenerativeLogic;

/// <summary>
/// Every step of a saturation run, the step that yields each fact, and the fact numbering; extraction keeps only the
/// steps a closing fact depends on, in derivation order.
/// </summary>
internal sealed class ProofLog
{
    private readonly List<ProofStep> _steps = [];
    private readonly Dictionary<int, int> _stepOfFact = [];
    private int _nextId;

    /// <summary>The number of the next fact.</summary>
    public int NextId() => _nextId++;

    /// <summary>Numbers for <paramref name="count"/> facts in a row; the first of them.</summary>
    public int Reserve(int count)
    {
        var first = _nextId;
        _nextId += count;
        return first;
    }

    /// <summary>Records a step that yields fact <paramref name="factId"/>.</summary>
    public void Record(ProofStep step, int factId) => _stepOfFact[factId] = AddStep(step);

    /// <summary>Records a step that yields several facts (attach each with <see cref="Attach"/>); its index.</summary>
    public int AddStep(ProofStep step)
    {
        _steps.Add(step);
        return _steps.Count - 1;
    }

    public void Attach(int factId, int stepIndex) => _stepOfFact[factId] = stepIndex;

    public ProofStep StepOf(int factId) => _steps[_stepOfFact[factId]];

    /// <summary>The proof of fact <paramref name="closing"/>: only the steps it needs, in order.</summary>
    public ProofBlock Extract(int closing)
    {
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
}
