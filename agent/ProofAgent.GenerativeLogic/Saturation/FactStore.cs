using System.Runtime.CompilerServices;

namespace ProofAgent.GenerativeLogic;

/// <summary>
/// The elements, relations and facts of one saturation run, interned as integers. Facts are numbered in derivation
/// order and every index list is sorted by number (ids only grow), so "facts since id n" is a suffix of each list. A
/// live fact is findable by content; a dead one (rewritten by a merge, or a pure proof step such as an equality) is
/// kept for its proof but never matched.
/// </summary>
internal sealed class FactStore
{
    private readonly List<string> _names = [];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<int> _depth = [];
    private readonly List<string> _relNames = [];
    private readonly Dictionary<string, int> _relIds = new(StringComparer.Ordinal);
    private readonly List<FactRec> _facts = [];
    private readonly List<bool> _dead = [];
    private readonly LiveTable _live;
    private readonly IndexTable _index = new();
    private readonly List<List<int>?> _byRel = [];
    private readonly List<List<int>?> _byElement = [];

    public FactStore()
    {
        _live = new LiveTable(_facts);
        EqRel = RelId("=");
        FalseRel = RelId("False");
    }

    public int EqRel { get; }

    public int FalseRel { get; }

    /// <summary>Facts recorded so far, live and dead.</summary>
    public int Count => _facts.Count;

    public int ElementCount => _names.Count;

    public string Name(int element) => _names[element];

    /// <summary>The element of a name (throws for an unknown name).</summary>
    public int Id(string name) => _ids[name];

    public bool TryGetId(string name, out int element) => _ids.TryGetValue(name, out element);

    public bool Contains(string name) => _ids.ContainsKey(name);

    /// <summary>Witness depth: 0 for given elements, one more than its inputs' for a witness.</summary>
    public int Depth(int element) => _depth[element];

    public void AddElement(string name, int depth)
    {
        _ids.Add(name, _names.Count);
        _names.Add(name);
        _depth.Add(depth);
        _byElement.Add(null);
    }

    public int RelId(string rel)
    {
        if (!_relIds.TryGetValue(rel, out var id))
        {
            id = _relNames.Count;
            _relIds.Add(rel, id);
            _relNames.Add(rel);
        }

        return id;
    }

    public FactRec Fact(int id) => _facts[id];

    public bool IsDead(int id) => _dead[id];

    public bool TryLive(int rel, int[] args, out int id) => _live.TryGet(rel, args, out id);

    /// <summary>The facts of a relation, in id order (null: none yet).</summary>
    public List<int>? FactsOf(int rel) => rel < _byRel.Count ? _byRel[rel] : null;

    /// <summary>The facts of a relation with <paramref name="element"/> at <paramref name="position"/>, in id order (null: none).</summary>
    public List<int>? Indexed(int rel, int position, int element) => _index.Get(IndexKey(rel, position, element));

    /// <summary>The facts that mention an element (null: none).</summary>
    public List<int>? Mentioning(int element) => _byElement[element];

    public IEnumerable<int> LiveIds() => _live.Ids();

    public Pattern Show(int rel, int[] args) => new(_relNames[rel], [.. args.Select(a => _names[a])]);

    /// <summary>A fact that is only a proof step (equalities, reflexivity, rewrites towards the goal): never matched.</summary>
    public void AddDead(int rel, int[] args)
    {
        _facts.Add(new FactRec(rel, args));
        _dead.Add(true);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Insert(FactRec fact, int id)
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

    public void Kill(int id)
    {
        _dead[id] = true;
        _live.Remove(id);
    }

    private static long IndexKey(int rel, int position, int element) => ((long)rel << 40) | ((long)position << 32) | (uint)element;
}
