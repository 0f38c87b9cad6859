using System.Text;

namespace ProofAgent.BusyBeaver;

/// <summary>
/// How tape symbols are enriched before the n-gram abstraction (Coq-BB5's augmented alphabets). The enriched machine
/// writes (bit, history) where the history records the (state, read bit) pairs of the last updates of that cell; it
/// runs exactly like the original (same moves, same states, same halting transitions), so it halts iff the original does.
/// </summary>
public enum CpsAugmentation
{
    /// <summary>Plain bits (Nathan Fenner's n-gram CPS).</summary>
    None,

    /// <summary>Each written cell keeps the last <see cref="NGramCpsParameters.History"/> (state, read bit) pairs, newest first.</summary>
    History,

    /// <summary>Each written cell keeps its (state, read bit) pairs as an LRU list: the newest first, each pair once.</summary>
    Lru,
}

/// <summary>One n-gram CPS run: radii of the local context, augmentation and search limits.</summary>
public sealed record NGramCpsParameters(int Left, int Right, CpsAugmentation Augmentation = CpsAugmentation.None, int History = 0)
{
    /// <summary>The closed set may hold at most this many local contexts.</summary>
    public int MaxContexts { get; init; } = 20_000;

    public NGramCpsParameters WithMaxContexts(int contexts) => this with { MaxContexts = contexts };

    public override string ToString() => Augmentation switch
    {
        CpsAugmentation.History => $"ngram-cps(history {History}, {Left}, {Right})",
        CpsAugmentation.Lru => $"ngram-cps(lru, {Left}, {Right})",
        _ => $"ngram-cps({Left}, {Right})",
    };

    /// <summary>
    /// The parameter list of Coq-BB5's BB(4) pipeline: plain radii 1-3, then fixed histories of 2 to 10 updates, then LRU.
    /// </summary>
    public static IReadOnlyList<NGramCpsParameters> Standard { get; } =
    [
        new(1, 1) { MaxContexts = 2_000 },
        new(2, 2) { MaxContexts = 4_000 },
        new(3, 3) { MaxContexts = 8_000 },
        new(2, 2, CpsAugmentation.History, 2) { MaxContexts = 8_000 },
        new(3, 3, CpsAugmentation.History, 2) { MaxContexts = 8_000 },
        new(2, 2, CpsAugmentation.History, 4) { MaxContexts = 8_000 },
        new(3, 3, CpsAugmentation.History, 4) { MaxContexts = 8_000 },
        new(2, 2, CpsAugmentation.History, 6) { MaxContexts = 8_000 },
        new(3, 3, CpsAugmentation.History, 6) { MaxContexts = 8_000 },
        new(2, 2, CpsAugmentation.History, 8) { MaxContexts = 8_000 },
        new(3, 3, CpsAugmentation.History, 8) { MaxContexts = 8_000 },
        new(2, 2, CpsAugmentation.Lru) { MaxContexts = 20_000 },
        new(4, 4, CpsAugmentation.History, 10) { MaxContexts = 20_000 },
    ];
}

/// <summary>
/// n-gram closed position set (NGramCPS, after Nathan Fenner and Coq-BB5). A local context is the state, the symbol under
/// the head and the <c>Left</c> / <c>Right</c> symbols nearest to it on each side; the two half-tapes beyond are seen as
/// stacks whose windows of the same length are collected in two gram sets. Starting from the blank context, each context
/// is stepped: the symbol pushed deeper on one side adds the old context side as a gram, and the symbol popped from the
/// other side is any last symbol of a gram of that side extending the remaining context. When contexts and grams no
/// longer grow and no context meets a halting transition, the set is closed and the machine never halts.
/// </summary>
public static class NGramCpsDecider
{
    private const int MaxSymbols = 4096;

    /// <summary>Runs the parameter sets in order; the first closed set found becomes the certificate.</summary>
    public static BbCertificate.NGramCps? Decide(TuringMachine machine, IEnumerable<NGramCpsParameters> parameters) =>
        ParameterSweep.First(parameters, p => Decide(machine, p));

    public static BbCertificate.NGramCps? Decide(TuringMachine machine, NGramCpsParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Left < 1 || parameters.Right < 1 || (parameters.Augmentation == CpsAugmentation.History && parameters.History < 1))
        {
            throw new ArgumentException("radii must be at least 1, and a history at least 1 update long", nameof(parameters));
        }

        return new Search(machine, parameters).Run();
    }

    /// <summary>The fixed-point search. Contexts are packed into a 128-bit key, grams into a 64-bit key.</summary>
    private sealed class Search
    {
        private readonly TuringMachine _machine;
        private readonly NGramCpsParameters _p;
        private readonly int _bits;
        private readonly ulong _symbolMask;
        private readonly List<(byte Bit, string Text)> _symbols = [];
        private readonly Dictionary<string, int> _symbolIds = new(StringComparer.Ordinal);
        private readonly Dictionary<int, int> _writes = [];
        private readonly HashSet<UInt128> _contextSet = [];
        private readonly List<UInt128> _contexts = [];
        private readonly Grams _left;
        private readonly Grams _right;
        private bool _changed;

        public Search(TuringMachine machine, NGramCpsParameters parameters)
        {
            _machine = machine;
            _p = parameters;
            _bits = parameters.Augmentation == CpsAugmentation.None ? 1 : 12;
            _symbolMask = (1UL << _bits) - 1;
            if (5 + (_bits * (1 + parameters.Left + parameters.Right)) > 128 || _bits * Math.Max(parameters.Left, parameters.Right) > 64)
            {
                throw new ArgumentException($"radii {parameters.Left}, {parameters.Right} are too large for this augmentation", nameof(parameters));
            }

            _left = new Grams(parameters.Left, _bits);
            _right = new Grams(parameters.Right, _bits);
            Intern(0, "0");
            if (parameters.Augmentation == CpsAugmentation.None)
            {
                Intern(1, "1");
            }
        }

        public BbCertificate.NGramCps? Run()
        {
            _left.Add(0);
            _right.Add(0);
            AddContext(0, 0, new int[_p.Left], new int[_p.Right]);
            var left = new int[_p.Left];
            var right = new int[_p.Right];
            do
            {
                _changed = false;
                for (var i = 0; i < _contexts.Count; i++)
                {
                    var key = _contexts[i];
                    var state = (int)(key & 31);
                    var head = (int)((key >> 5) & _symbolMask);
                    for (var j = 0; j < left.Length; j++)
                    {
                        left[j] = (int)((key >> (5 + (_bits * (1 + j)))) & _symbolMask);
                    }

                    for (var j = 0; j < right.Length; j++)
                    {
                        right[j] = (int)((key >> (5 + (_bits * (1 + left.Length + j)))) & _symbolMask);
                    }

                    if (!Step(state, head, left, right) || _contexts.Count > _p.MaxContexts)
                    {
                        return null;
                    }
                }
            }
            while (_changed);

            return Certificate();
        }

        /// <summary>Steps one context; false when it meets a halting (or undefined) transition or the alphabet overflows.</summary>
        private bool Step(int state, int head, int[] left, int[] right)
        {
            var (bit, _) = _symbols[head];
            if (_machine[state, bit] is not { Next: >= 0 } t)
            {
                return false;
            }

            var written = Write(state, head, t.Write);
            if (written < 0)
            {
                return false;
            }

            // Moving right pushes the written symbol onto the left stack and pops the right one (and mirrored).
            var (push, pop, pushGrams, popGrams) = t.Move > 0 ? (left, right, _left, _right) : (right, left, _right, _left);
            if (pushGrams.Add(Pack(push, 0, push.Length)))
            {
                _changed = true;
            }

            var pushed = new int[push.Length];
            pushed[0] = written;
            Array.Copy(push, 0, pushed, 1, push.Length - 1);
            var prefix = Pack(pop, 1, pop.Length - 1);
            foreach (var last in popGrams.Lasts(prefix))
            {
                var popped = new int[pop.Length];
                Array.Copy(pop, 1, popped, 0, pop.Length - 1);
                popped[^1] = last;
                if (t.Move > 0)
                {
                    AddContext(t.Next, pop[0], pushed, popped);
                }
                else
                {
                    AddContext(t.Next, pop[0], popped, pushed);
                }
            }

            return true;
        }

        private void AddContext(int state, int head, int[] left, int[] right)
        {
            UInt128 key = (uint)state | ((UInt128)(uint)head << 5);
            for (var j = 0; j < left.Length; j++)
            {
                key |= (UInt128)(uint)left[j] << (5 + (_bits * (1 + j)));
            }

            for (var j = 0; j < right.Length; j++)
            {
                key |= (UInt128)(uint)right[j] << (5 + (_bits * (1 + left.Length + j)));
            }

            if (_contextSet.Add(key))
            {
                _contexts.Add(key);
                _changed = true;
            }
        }

        private ulong Pack(int[] symbols, int from, int count)
        {
            ulong packed = 0;
            for (var j = 0; j < count; j++)
            {
                packed |= (ulong)symbols[from + j] << (_bits * j);
            }

            return packed;
        }

        /// <summary>The enriched symbol written in <paramref name="state"/> over <paramref name="read"/>; -1 when the alphabet overflows.</summary>
        private int Write(int state, int read, byte bit)
        {
            var cacheKey = (state * MaxSymbols) + read;
            if (_writes.TryGetValue(cacheKey, out var cached))
            {
                return cached;
            }

            int id;
            if (_p.Augmentation == CpsAugmentation.None)
            {
                id = bit;
            }
            else
            {
                var old = _symbols[read];
                var pair = $"{(char)('A' + state)}{(char)('0' + old.Bit)}";
                var history = new List<string> { pair };
                for (var k = 1; k + 1 < old.Text.Length; k += 2)
                {
                    var earlier = old.Text.Substring(k, 2);
                    if (_p.Augmentation != CpsAugmentation.Lru || earlier != pair)
                    {
                        history.Add(earlier);
                    }
                }

                if (_p.Augmentation == CpsAugmentation.History && history.Count > _p.History)
                {
                    history.RemoveRange(_p.History, history.Count - _p.History);
                }

                id = Intern(bit, (char)('0' + bit) + string.Concat(history));
            }

            _writes[cacheKey] = id;
            return id;
        }

        private int Intern(byte bit, string text)
        {
            if (_symbolIds.TryGetValue(text, out var id))
            {
                return id;
            }

            if (_symbols.Count >= MaxSymbols)
            {
                return -1;
            }

            _symbols.Add((bit, text));
            _symbolIds[text] = _symbols.Count - 1;
            return _symbols.Count - 1;
        }

        private BbCertificate.NGramCps Certificate()
        {
            var contexts = new List<string>(_contexts.Count);
            foreach (var key in _contexts)
            {
                var b = new StringBuilder();
                b.Append((char)('A' + (int)(key & 31))).Append('|');
                AppendSymbols(b, key >> (5 + _bits), _p.Left);
                b.Append('|').Append(_symbols[(int)((key >> 5) & _symbolMask)].Text).Append('|');
                AppendSymbols(b, key >> (5 + (_bits * (1 + _p.Left))), _p.Right);
                contexts.Add(b.ToString());
            }

            contexts.Sort(StringComparer.Ordinal);
            return new BbCertificate.NGramCps(_p.Augmentation, _p.History, _p.Left, _p.Right, contexts, GramTexts(_left, _p.Left), GramTexts(_right, _p.Right));
        }

        private List<string> GramTexts(Grams grams, int length)
        {
            var texts = new List<string>();
            foreach (var gram in grams.All)
            {
                var b = new StringBuilder();
                AppendSymbols(b, gram, length);
                texts.Add(b.ToString());
            }

            texts.Sort(StringComparer.Ordinal);
            return texts;
        }

        private void AppendSymbols(StringBuilder b, UInt128 packed, int count)
        {
            for (var j = 0; j < count; j++)
            {
                if (j > 0)
                {
                    b.Append(',');
                }

                b.Append(_symbols[(int)((packed >> (_bits * j)) & _symbolMask)].Text);
            }
        }
    }

    /// <summary>A set of n-grams (nearest symbol first), indexed by their first n-1 symbols.</summary>
    private sealed class Grams(int length, int bits)
    {
        private readonly HashSet<ulong> _all = [];
        private readonly Dictionary<ulong, List<int>> _byPrefix = [];

        public IEnumerable<ulong> All => _all;

        public bool Add(ulong gram)
        {
            if (!_all.Add(gram))
            {
                return false;
            }

            var shift = bits * (length - 1);
            var prefix = shift == 0 ? 0 : gram & ((1UL << shift) - 1);
            var last = (int)(gram >> shift);
            if (!_byPrefix.TryGetValue(prefix, out var lasts))
            {
                _byPrefix[prefix] = lasts = [];
            }

            lasts.Add(last);
            return true;
        }

        /// <summary>Last symbols of the grams starting with <paramref name="prefix"/> (a snapshot: the set may grow meanwhile).</summary>
        public int[] Lasts(ulong prefix) => _byPrefix.TryGetValue(prefix, out var lasts) ? [.. lasts] : [];
    }
}
