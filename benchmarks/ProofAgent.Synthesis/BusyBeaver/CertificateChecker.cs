namespace ProofAgent.Synthesis.BusyBeaver;

/// <summary>
/// Re-verifies certificates with its own, deliberately plain implementation (a dictionary tape, configurations compared
/// as sets of non-blank cells, backward search breadth-first over immutable states), sharing no code with the deciders.
/// </summary>
public static class CertificateChecker
{
    public static bool Check(TuringMachine machine, BbCertificate certificate, out string reason)
    {
        switch (certificate)
        {
            case BbCertificate.Halts h:
                {
                    var c = new Config();
                    for (long t = 1; t <= h.Steps; t++)
                    {
                        var halted = c.Step(machine);
                        if (halted != (t == h.Steps))
                        {
                            reason = halted ? $"halts early, at step {t}" : $"has not halted at step {t}";
                            return false;
                        }
                    }

                    var ones = c.Cells.Count(kv => kv.Value == 1);
                    reason = ones == h.Ones ? "halts as stated" : $"{ones} ones, not {h.Ones}";
                    return ones == h.Ones;
                }

            case BbCertificate.Cycler cy:
                {
                    if (cy.T1 < 0 || cy.T2 <= cy.T1)
                    {
                        reason = "T1 < T2 is required";
                        return false;
                    }

                    var c = new Config();
                    Config? first = null;
                    for (long t = 0; t < cy.T2; t++)
                    {
                        if (t == cy.T1)
                        {
                            first = c.Clone();
                        }

                        if (c.Step(machine))
                        {
                            reason = $"halts at step {t + 1}";
                            return false;
                        }
                    }

                    first ??= c.Clone();
                    var same = first.SameAs(c);
                    reason = same ? "configuration recurs" : "configurations differ";
                    return same;
                }

            case BbCertificate.TranslatedCycler tc:
                return CheckTranslated(machine, tc, out reason);

            case BbCertificate.Backward b:
                {
                    var c = new Config();
                    for (var t = 0; t <= b.Depth; t++)
                    {
                        if (c.Step(machine))
                        {
                            reason = $"halts at step {t + 1}, within the backward depth";
                            return false;
                        }
                    }

                    var dies = BackwardBreadthFirst(machine, b.Depth);
                    reason = dies ? "every backward derivation dies" : $"a backward derivation survives {b.Depth} steps";
                    return dies;
                }

            default:
                reason = "unknown certificate";
                return false;
        }
    }

    private static bool CheckTranslated(TuringMachine machine, BbCertificate.TranslatedCycler tc, out string reason)
    {
        if (tc.T1 < 0 || tc.T2 <= tc.T1 || tc.Side is not (1 or -1))
        {
            reason = "T1 < T2 and side ±1 are required";
            return false;
        }

        var c = new Config();
        long extreme = 0; // farthest position on the side, visited so far
        Config? first = null;
        var back = 0L;
        for (long t = 0; t <= tc.T2; t++)
        {
            if (t == tc.T1)
            {
                if (c.Head * tc.Side <= extreme * tc.Side && t > 0)
                {
                    // Must have just reached a new record cell (at t = 0 only the origin is visited).
                    reason = $"step {t} is not a record on side {tc.Side}";
                    return false;
                }

                first = c.Clone();
                back = c.Head;
            }

            if (first is not null)
            {
                back = tc.Side > 0 ? Math.Min(back, c.Head) : Math.Max(back, c.Head);
            }

            if (t == tc.T2)
            {
                break;
            }

            extreme = tc.Side > 0 ? Math.Max(extreme, c.Head) : Math.Min(extreme, c.Head);
            if (c.Step(machine))
            {
                reason = $"halts at step {t + 1}";
                return false;
            }
        }

        if (first is null || c.Head * tc.Side <= extreme * tc.Side || c.State != first.State)
        {
            reason = "T2 is not a record in the same state";
            return false;
        }

        var shift = c.Head - first.Head;
        for (var p = Math.Min(back, first.Head); p <= Math.Max(back, first.Head); p++)
        {
            if (first.At(p) != c.At(p + shift))
            {
                reason = $"tapes differ at offset {p - first.Head}";
                return false;
            }
        }

        reason = "translated recurrence";
        return true;
    }

    /// <summary>Breadth-first backward search over (state, head, known cells) from every halting transition.</summary>
    private static bool BackwardBreadthFirst(TuringMachine machine, int depth)
    {
        var level = new List<(int State, int Head, SortedDictionary<int, int> Known)>();
        for (var s = 0; s < machine.States; s++)
        {
            for (var r = 0; r <= 1; r++)
            {
                var t = machine[s, r];
                if (t is null || t.Value.Next == TuringMachine.Halt)
                {
                    level.Add((s, 0, new SortedDictionary<int, int> { [0] = r }));
                }
            }
        }

        for (var d = 0; d < depth && level.Count > 0; d++)
        {
            var previous = new List<(int, int, SortedDictionary<int, int>)>();
            foreach (var (state, head, known) in level)
            {
                for (var s = 0; s < machine.States; s++)
                {
                    for (var r = 0; r <= 1; r++)
                    {
                        var t = machine[s, r];
                        if (t is null || t.Value.Next != state)
                        {
                            continue;
                        }

                        var at = head - t.Value.Move;
                        if (known.TryGetValue(at, out var w) && w != t.Value.Write)
                        {
                            continue;
                        }

                        var copy = new SortedDictionary<int, int>(known) { [at] = r };
                        previous.Add((s, at, copy));
                    }
                }
            }

            if (previous.Count > 200_000)
            {
                return false;
            }

            level = previous;
        }

        return level.Count == 0;
    }

    private sealed class Config
    {
        public Dictionary<long, int> Cells { get; private init; } = new();

        public long Head { get; private set; }

        public int State { get; private set; }

        public int At(long p) => Cells.TryGetValue(p, out var v) ? v : 0;

        /// <summary>One step; true when this step halts.</summary>
        public bool Step(TuringMachine machine)
        {
            var t = machine[State, At(Head)];
            if (t is null)
            {
                return true;
            }

            Cells[Head] = t.Value.Write;
            if (t.Value.Next == TuringMachine.Halt)
            {
                return true;
            }

            Head += t.Value.Move;
            State = t.Value.Next;
            return false;
        }

        public Config Clone() => new() { Cells = new Dictionary<long, int>(Cells), Head = Head, State = State };

        public bool SameAs(Config other) =>
            State == other.State && Head == other.Head
            && Cells.Where(kv => kv.Value != 0).All(kv => other.At(kv.Key) == kv.Value)
            && other.Cells.Where(kv => kv.Value != 0).All(kv => At(kv.Key) == kv.Value);
    }
}
