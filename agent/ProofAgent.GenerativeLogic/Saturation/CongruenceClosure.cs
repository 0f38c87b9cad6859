using System.Runtime.CompilerServices;

namespace ProofAgent.GenerativeLogic;

/// <summary>
/// Equality by union-find with proofs: a merge makes the larger element point to the smaller (its representative) and
/// rewrites every live fact of the merged element, each rewrite a recorded step; the equality behind each parent link
/// is kept, so a chain of merges can be replayed as transitivity (rewrites of equalities) when a proof needs it.
/// </summary>
internal sealed class CongruenceClosure(FactStore store, ProofLog log)
{
    private readonly List<int> _parent = [];
    private readonly List<int> _eqToParent = [];
    private readonly List<(int A, int B, int Fact)> _pending = [];

    /// <summary>Told the element about to be merged into another, before the merge (rule constants may stand for it).</summary>
    public Action<int>? Merging { get; set; }

    public void AddElement()
    {
        _parent.Add(_parent.Count);
        _eqToParent.Add(-1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Find(int e)
    {
        while (_parent[e] != e)
        {
            e = _parent[e];
        }

        return e;
    }

    /// <summary>Asks for <paramref name="a"/> = <paramref name="b"/>, established by fact <paramref name="fact"/>, to be merged.</summary>
    public void Enqueue(int a, int b, int fact) => _pending.Add((a, b, fact));

    /// <summary>Merges pending equalities: the larger element joins the smaller; its live facts are rewritten with steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ProcessMerges()
    {
        while (_pending.Count > 0)
        {
            var (a0, b0, fact) = _pending[0];
            _pending.RemoveAt(0);
            var a = Find(a0);
            var b = Find(b0);
            if (a == b)
            {
                continue;
            }

            // The recorded fact is =[a0,b0] with a0, b0 canonical when it was derived; bring it to =[old,rep].
            var eq = fact;
            var eqArgs = store.Fact(fact).Args;
            if (eqArgs[0] != a || eqArgs[1] != b)
            {
                eq = Canonicalise(fact);
                eqArgs = store.Fact(eq).Args;
                if (eqArgs[0] == eqArgs[1])
                {
                    continue;
                }

                (a, b) = (eqArgs[0], eqArgs[1]);
            }

            var (rep, old) = a < b ? (a, b) : (b, a);
            if (old == eqArgs[1])
            {
                var sid = log.NextId();
                var sf = store.Show(store.EqRel, [old, rep]);
                log.Record(new ProofStep.Symmetry(sid, eq, sf), sid);
                store.AddDead(store.EqRel, [old, rep]);
                eq = sid;
            }

            Merging?.Invoke(old);
            _parent[old] = rep;
            _eqToParent[old] = eq;

            var affected = store.Mentioning(old) is { } mentions ? mentions.Where(id => !store.IsDead(id)).ToList() : [];
            foreach (var id in affected)
            {
                if (store.IsDead(id))
                {
                    continue;
                }

                store.Kill(id);
                var f = store.Fact(id);
                var positions = Enumerable.Range(0, f.Args.Length).Where(p => f.Args[p] == old).ToArray();
                var args = f.Args.Select(x => x == old ? rep : x).ToArray();
                var nid = log.NextId();
                log.Record(new ProofStep.Rewrite(nid, id, eq, positions, store.Show(f.Rel, args)), nid);
                store.Insert(new FactRec(f.Rel, args), nid);
            }

            // A functional fact may now have two outputs for the same inputs: the single-valuedness rules merge them next round.
        }
    }

    /// <summary>Turns the canonical fact that matches the goal into the goal as stated (rewriting representatives back); its id.</summary>
    public int DeriveGoal(Pattern goal)
    {
        var args = goal.Args.Select(store.Id).ToArray();
        var goalRel = store.RelId(goal.Rel);
        if (goalRel == store.EqRel)
        {
            if (args[0] == args[1])
            {
                var id = log.NextId();
                log.Record(new ProofStep.Reflexivity(id, store.Name(args[0]), goal), id);
                store.AddDead(store.EqRel, args);
                return id;
            }

            // =[x, c] from x's chain, then rewrite c into y using =[c, y].
            var xc = ChainToRoot(args[0]);
            var yc = ChainToRoot(args[1]);
            var cy = SymmetryOf(yc);
            return AddRewrite(xc, cy, [1], store.EqRel, [args[0], args[1]]);
        }

        if (!store.TryLive(goalRel, [.. args.Select(Find)], out var current))
        {
            throw new InvalidOperationException($"the goal {goal} does not hold");
        }

        for (var p = 0; p < args.Length; p++)
        {
            var want = args[p];
            var have = store.Fact(current).Args[p];
            if (want == have)
            {
                continue;
            }

            // have is the root of want: rewrite position p with =[have, want].
            var eq = SymmetryOf(ChainToRoot(want));
            var nargs = store.Fact(current).Args.AsSpan().ToArray();
            nargs[p] = want;
            current = AddRewrite(current, eq, [p], goalRel, nargs);
        }

        return current;
    }

    /// <summary>Derives, with steps, the version of equality fact <paramref name="fact"/> whose sides are canonical.</summary>
    private int Canonicalise(int fact)
    {
        var current = fact;
        for (var guard = 0; guard < 1000; guard++)
        {
            var args = store.Fact(current).Args;
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
            var nid = log.NextId();
            var rel = store.Fact(current).Rel;
            log.Record(new ProofStep.Rewrite(nid, current, eq, positions, store.Show(rel, nargs)), nid);
            store.AddDead(rel, nargs);
            current = nid;
        }

        throw new InvalidOperationException("equality chain too long");
    }

    private int AddRewrite(int source, int eq, int[] positions, int rel, int[] args)
    {
        var id = log.NextId();
        log.Record(new ProofStep.Rewrite(id, source, eq, positions, store.Show(rel, args)), id);
        store.AddDead(rel, args);
        return id;
    }

    private int SymmetryOf(int eq)
    {
        var args = store.Fact(eq).Args;
        var id = log.NextId();
        log.Record(new ProofStep.Symmetry(id, eq, store.Show(store.EqRel, [args[1], args[0]])), id);
        store.AddDead(store.EqRel, [args[1], args[0]]);
        return id;
    }

    /// <summary>A fact =[x, root(x)] built from the merge chain of x by rewriting (transitivity).</summary>
    private int ChainToRoot(int x)
    {
        if (_parent[x] == x)
        {
            var id = log.NextId();
            log.Record(new ProofStep.Reflexivity(id, store.Name(x), store.Show(store.EqRel, [x, x])), id);
            store.AddDead(store.EqRel, [x, x]);
            return id;
        }

        var current = _eqToParent[x]; // =[x, parent]
        var at = _parent[x];
        while (_parent[at] != at)
        {
            var next = _eqToParent[at]; // =[at, parent(at)]
            current = AddRewrite(current, next, [1], store.EqRel, [x, _parent[at]]);
            at = _parent[at];
        }

        return current;
    }
}
