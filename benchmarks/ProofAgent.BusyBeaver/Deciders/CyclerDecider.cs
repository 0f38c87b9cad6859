namespace ProofAgent.BusyBeaver;

/// <summary>Cyclers (the whole configuration recurs) and translated cyclers (a record-setting configuration recurs shifted, with the same cells behind it).</summary>
public static class CyclerDecider
{
    /// <summary>Finds a cycler (Brent's cycle detection) or a translated cycler (record-to-record comparison) within the limit.</summary>
    public static BbCertificate? Decide(TuringMachine machine, int limit)
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
