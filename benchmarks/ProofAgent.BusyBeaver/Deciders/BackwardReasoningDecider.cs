namespace ProofAgent.BusyBeaver;

/// <summary>Backward reasoning: no halting configuration can be reached, because every chain of predecessors dies out.</summary>
public static class BackwardReasoningDecider
{
    /// <summary>True when every backward derivation from every halting (or undefined) transition dies within the depth.</summary>
    public static bool Dies(TuringMachine machine, int depth, int maxNodes)
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
                if (!DiesFrom(machine, s, 0, known, depth, ref nodes, maxNodes))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool DiesFrom(TuringMachine machine, int state, int head, Dictionary<int, byte> known, int remaining, ref int nodes, int maxNodes)
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
                if (!DiesFrom(machine, s, previous, before, remaining - 1, ref nodes, maxNodes))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
