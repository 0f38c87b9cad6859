namespace ProofAgent.Synthesis.BusyBeaver;

/// <summary>Evidence for a verdict, re-verified by <see cref="CertificateChecker"/>. Closed hierarchy.</summary>
public abstract record BbCertificate
{
    private BbCertificate()
    {
    }

    public abstract string Kind { get; }

    /// <summary>The machine halts at step <see cref="Steps"/> (the halting transition included) with <see cref="Ones"/> ones.</summary>
    public sealed record Halts(long Steps, long Ones) : BbCertificate
    {
        public override string Kind => "halts";
    }

    /// <summary>The configuration after <see cref="T1"/> steps recurs after <see cref="T2"/> steps (T1 &lt; T2), and no halt comes before.</summary>
    public sealed record Cycler(long T1, long T2) : BbCertificate
    {
        public override string Kind => "cycler";
    }

    /// <summary>
    /// At steps T1 &lt; T2 the head stands on a new record cell on <see cref="Side"/> (+1 right, -1 left) in the same state,
    /// and the tape between the farthest point the head reached back during [T1, T2] and the head agrees at both times.
    /// </summary>
    public sealed record TranslatedCycler(long T1, long T2, int Side) : BbCertificate
    {
        public override string Kind => "translated-cycler";
    }

    /// <summary>
    /// Every backward derivation from a halting transition dies within <see cref="Depth"/> steps, and the machine does not
    /// halt within Depth + 1 steps from the blank tape: so it never halts.
    /// </summary>
    public sealed record Backward(int Depth) : BbCertificate
    {
        public override string Kind => "backward-reasoning";
    }

    /// <summary>
    /// An n-gram closed position set (see <see cref="NGramCpsDecider"/>). Symbols are written as text: the bit, then
    /// for augmented alphabets the (state letter, read bit) history pairs, newest first (<c>1A0B1</c>); the blank is
    /// <c>0</c>. A context is <c>state|left|head|right</c> with the side symbols comma-separated, nearest the head first;
    /// a gram lists its symbols the same way. The checker re-verifies that the blank context and the blank grams are in
    /// the sets and that every context steps, without halting, only to contexts in the set while pushing only listed grams.
    /// </summary>
    public sealed record NGramCps(
        CpsAugmentation Augmentation,
        int History,
        int Left,
        int Right,
        IReadOnlyList<string> Contexts,
        IReadOnlyList<string> LeftGrams,
        IReadOnlyList<string> RightGrams) : BbCertificate
    {
        public override string Kind => "ngram-cps";

        /// <summary>The decider name this certificate counts under.</summary>
        public string Decider => Augmentation switch
        {
            CpsAugmentation.History => "ngram-cps-history",
            CpsAugmentation.Lru => "ngram-cps-lru",
            _ => "ngram-cps",
        };

        public override string ToString() =>
            $"{Kind} {{ Augmentation = {Augmentation}, History = {History}, Left = {Left}, Right = {Right}, Contexts = {Contexts.Count}, LeftGrams = {LeftGrams.Count}, RightGrams = {RightGrams.Count} }}";
    }

    /// <summary>
    /// A repeated-word-list closed set (see <see cref="RepWlDecider"/>). Each configuration is <c>behind|SD|ahead</c>: the
    /// state letter S and the facing direction D (R or L), the stacks of runs behind and ahead of the head, nearest first,
    /// each run <c>word^k</c> (exactly k copies) or <c>word^k+</c> (at least k), words written nearest the head first.
    /// The checker re-verifies that the blank configuration <c>|AR|</c> is listed and that every macro step of every
    /// listed configuration, for every way to pop the block ahead, stays in the set without halting.
    /// </summary>
    public sealed record RepWl(int BlockLength, int Threshold, IReadOnlyList<string> Configurations) : BbCertificate
    {
        public override string Kind => "repwl";

        public override string ToString() => $"{Kind} {{ BlockLength = {BlockLength}, Threshold = {Threshold}, Configurations = {Configurations.Count} }}";
    }
}

public enum BbVerdict
{
    Halts,
    NonHalting,
    Undecided,
}

public sealed record BbDecision(BbVerdict Verdict, long Steps, long Ones, string? Decider, BbCertificate? Certificate);

public sealed record DeciderOptions
{
    public static DeciderOptions Default { get; } = new();

    /// <summary>Steps simulated to look for a halt.</summary>
    public long MaxSteps { get; init; } = 100_000;

    /// <summary>Steps the cycler and translated-cycler deciders explore.</summary>
    public int CyclerSteps { get; init; } = 2_000;

    /// <summary>Tape cells (one byte each) the halting simulation may use; a run that needs more stops there, undecided.</summary>
    public int MaxTapeCells { get; init; } = Simulator.DefaultMaxTapeCells;

    public int BackwardDepth { get; init; } = 40;

    public int BackwardNodes { get; init; } = 20_000;

    /// <summary>n-gram CPS runs tried in order after the other deciders (empty: none).</summary>
    public IReadOnlyList<NGramCpsParameters> NGramCps { get; init; } = NGramCpsParameters.Standard;

    public DeciderOptions WithMaxSteps(long steps) => this with { MaxSteps = steps };

    /// <summary>Repeated-word-list runs tried last (empty: none).</summary>
    public IReadOnlyList<RepWlParameters> RepWl { get; init; } = RepWlParameters.Standard;

    public DeciderOptions WithRepWl(IReadOnlyList<RepWlParameters> parameters) => this with { RepWl = parameters };

    public DeciderOptions WithNGramCps(IReadOnlyList<NGramCpsParameters> parameters) => this with { NGramCps = parameters };
}

/// <summary>Decides halting of one machine: simulation, then cyclers, translated cyclers, backward reasoning, n-gram CPS and repeated word lists.</summary>
public static class Deciders
{
    public static BbDecision Decide(TuringMachine machine, DeciderOptions? options = null)
    {
        options ??= DeciderOptions.Default;
        if (options.MaxSteps > options.CyclerSteps)
        {
            // A (translated) cycler never halts: decide it before a long halting search, which would only grow its tape
            // (a translated cycler writes a new cell every few steps) for nothing.
            var probe = Simulator.Run(machine, options.CyclerSteps, options.MaxTapeCells);
            if (!probe.Halted && Cyclers(machine, options.CyclerSteps) is { } cycler)
            {
                return new BbDecision(BbVerdict.NonHalting, 0, 0, cycler.Kind, cycler);
            }
        }

        var run = Simulator.Run(machine, options.MaxSteps, options.MaxTapeCells);
        if (run.Halted)
        {
            return new BbDecision(BbVerdict.Halts, run.Steps, run.Ones, "simulation", new BbCertificate.Halts(run.Steps, run.Ones));
        }

        return DecideNonHalting(machine, options, run.Steps) ?? new BbDecision(BbVerdict.Undecided, run.Steps, 0, null, null);
    }

    /// <summary>Tries the non-halting deciders, for a machine known not to halt within <paramref name="simulatedSteps"/> steps.</summary>
    public static BbDecision? DecideNonHalting(TuringMachine machine, DeciderOptions options, long simulatedSteps)
    {
        if (Cyclers(machine, options.CyclerSteps) is { } certificate)
        {
            return new BbDecision(BbVerdict.NonHalting, 0, 0, certificate.Kind, certificate);
        }

        if (simulatedSteps > options.BackwardDepth && BackwardDies(machine, options.BackwardDepth, options.BackwardNodes))
        {
            return new BbDecision(BbVerdict.NonHalting, 0, 0, "backward-reasoning", new BbCertificate.Backward(options.BackwardDepth));
        }

        if (NGramCpsDecider.Decide(machine, options.NGramCps) is { } closed)
        {
            return new BbDecision(BbVerdict.NonHalting, 0, 0, closed.Decider, closed);
        }

        if (RepWlDecider.Decide(machine, options.RepWl) is { } words)
        {
            return new BbDecision(BbVerdict.NonHalting, 0, 0, "repwl", words);
        }

        return null;
    }

    /// <summary>Finds a cycler (Brent's cycle detection) or a translated cycler (record-to-record comparison) within the limit.</summary>
    public static BbCertificate? Cyclers(TuringMachine machine, int limit)
    {
        var tape = new Tape(limit);
        var state = 0;
        var heads = new int[limit + 1];
        heads[0] = tape.Head;
        var savedStep = 0;
        var saved = tape.Snapshot(state);
        var power = 1;
        var lambda = 0;
        var records = new List<(int Step, int State, int Head, byte[] Cells, int From)>[2] { new(), new() };
        for (var t = 1; t <= limit; t++)
        {
            if (machine[state, tape.Read()] is not { } transition || transition.Next == TuringMachine.Halt)
            {
                return null;
            }

            var wasMin = tape.Min;
            var wasMax = tape.Max;
            tape.Write(transition.Write);
            tape.Move(transition.Move);
            state = transition.Next;
            heads[t] = tape.Head;

            // Cycler: exact recurrence of the whole configuration.
            lambda++;
            if (saved.Equals(tape, state))
            {
                return new BbCertificate.Cycler(savedStep, t);
            }

            if (lambda == power)
            {
                saved = tape.Snapshot(state);
                savedStep = t;
                power *= 2;
                lambda = 0;
            }

            // Translated cycler: compare with earlier records on the same side in the same state.
            var side = tape.Head > wasMax ? 1 : tape.Head < wasMin ? -1 : 0;
            if (side != 0)
            {
                var list = records[side > 0 ? 0 : 1];
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    var r = list[i];
                    if (r.State != state)
                    {
                        continue;
                    }

                    // Farthest point behind the head during [r.Step, t].
                    var back = r.Head;
                    for (var u = r.Step; u <= t; u++)
                    {
                        back = side > 0 ? Math.Min(back, heads[u]) : Math.Max(back, heads[u]);
                    }

                    var shift = tape.Head - r.Head;
                    var same = true;
                    for (var p = Math.Min(back, r.Head); p <= Math.Max(back, r.Head) && same; p++)
                    {
                        same = (p >= r.From && p < r.From + r.Cells.Length ? r.Cells[p - r.From] : (byte)0) == tape.At(p + shift);
                    }

                    if (same)
                    {
                        return new BbCertificate.TranslatedCycler(r.Step, t, side);
                    }
                }

                list.Add((t, state, tape.Head, tape.CopyAll(out var from), from));
            }
        }

        return null;
    }

    /// <summary>True when every backward derivation from every halting (or undefined) transition dies within the depth.</summary>
    public static bool BackwardDies(TuringMachine machine, int depth, int maxNodes)
    {
        var nodes = 0;
        for (var s = 0; s < machine.States; s++)
        {
            for (var r = 0; r < 2; r++)
            {
                if (machine[s, r] is { Next: >= 0 })
                {
                    continue;
                }

                var known = new Dictionary<int, byte> { [0] = (byte)r };
                if (!Dies(machine, s, 0, known, depth, ref nodes, maxNodes))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool Dies(TuringMachine machine, int state, int head, Dictionary<int, byte> known, int remaining, ref int nodes, int maxNodes)
    {
        if (++nodes > maxNodes || remaining == 0)
        {
            return false;
        }

        for (var s = 0; s < machine.States; s++)
        {
            for (var r = 0; r < 2; r++)
            {
                if (machine[s, r] is not { } t || t.Next != state)
                {
                    continue;
                }

                var previous = head - t.Move;
                if (known.TryGetValue(previous, out var symbol) && symbol != t.Write)
                {
                    continue;
                }

                var before = new Dictionary<int, byte>(known) { [previous] = (byte)r };
                if (!Dies(machine, s, previous, before, remaining - 1, ref nodes, maxNodes))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>A tape of bytes around the origin with the visited range tracked.</summary>
    private sealed class Tape
    {
        private readonly byte[] _cells;
        private readonly int _origin;

        public Tape(int limit)
        {
            _cells = new byte[(2 * limit) + 3];
            _origin = limit + 1;
        }

        public int Head { get; private set; }

        public int Min { get; private set; }

        public int Max { get; private set; }

        public byte Read() => _cells[_origin + Head];

        public byte At(int position) => position < Min || position > Max ? (byte)0 : _cells[_origin + position];

        public void Write(byte symbol) => _cells[_origin + Head] = symbol;

        public void Move(int delta)
        {
            Head += delta;
            Min = Math.Min(Min, Head);
            Max = Math.Max(Max, Head);
        }

        public byte[] CopyAll(out int from)
        {
            from = Min;
            return _cells.AsSpan(_origin + Min, Max - Min + 1).ToArray();
        }

        public Snapshot Snapshot(int state) => new(state, Head, Min, CopyAll(out _));

        public bool Matches(Snapshot s, int state)
        {
            if (s.State != state || s.Head != Head)
            {
                return false;
            }

            var lo = Math.Min(s.Min, Min);
            var hi = Math.Max(s.Min + s.Cells.Length - 1, Max);
            for (var p = lo; p <= hi; p++)
            {
                var a = p >= s.Min && p < s.Min + s.Cells.Length ? s.Cells[p - s.Min] : (byte)0;
                if (a != At(p))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private sealed record Snapshot(int State, int Head, int Min, byte[] Cells)
    {
        public bool Equals(Tape tape, int state) => tape.Matches(this, state);
    }
}
