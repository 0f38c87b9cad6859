using System.Runtime.CompilerServices;

namespace ProofAgent.GenerativeLogic;

/// <summary>A fact: its relation and arguments as interned integers, and the hash the live table files it under.</summary>
internal sealed class FactRec(int rel, int[] args)
{
    public int Rel { get; } = rel;

    public int[] Args { get; } = args;

    public int Hash { get; } = LiveTable.HashOf(rel, args);
}

/// <summary>
/// The live facts by content: open addressing with linear probing over fact ids (the key is read from the fact), so a
/// lookup allocates nothing. Removal shifts the following entries back (no tombstones).
/// </summary>
internal sealed class LiveTable(List<FactRec> facts)
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
internal sealed class IndexTable
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
internal sealed class IntArrayComparer : IEqualityComparer<int[]>
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
