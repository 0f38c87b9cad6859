namespace ProofAgent.BusyBeaver;

public sealed record BbEnumerationOptions
{
    public static BbEnumerationOptions Default { get; } = new();

    /// <summary>Steps simulated per partial machine while looking for its next undefined transition.</summary>
    public long SimulationSteps { get; init; } = 1_000;

    public DeciderOptions Deciders { get; init; } = DeciderOptions.Default;
}

/// <summary>One machine of the enumeration with its decision (halting machines have their halting transition as 1RZ).</summary>
public sealed record EnumeratedMachine(TuringMachine Machine, BbDecision Decision);

public sealed record EnumerationReport(int States, long Machines, long Halting, long DecidedNonHalting, long Undecided, long MaxSteps, string? Champion, long ChampionOnes, IReadOnlyDictionary<string, long> ByDecider);

/// <summary>
/// Tree-normal-form enumeration of n-state 2-symbol machines: A0 is fixed to move right (mirror symmetry) and a new
/// state may only be the next unused letter (renaming symmetry); transitions are only defined when the simulation
/// reaches them (unreachable transitions are never enumerated). Every node that reaches an undefined transition is a
/// halting machine (that transition becomes 1RZ); its children define it in every other way, while at least one
/// transition stays undefined.
/// </summary>
public static class Enumeration
{
    public static EnumerationReport Run(int states, BbEnumerationOptions options, Action<EnumeratedMachine>? visit = null, CancellationToken cancellationToken = default)
    {
        long machines = 0, halting = 0, nonHalting = 0, undecided = 0, maxSteps = 0, championOnes = 0;
        string? champion = null;
        var byDecider = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var stack = new Stack<TuringMachine>();
        var empty = new TuringMachine(states, new Transition?[states * 2]);
        foreach (var write in new byte[] { 0, 1 })
        {
            for (var next = 0; next < Math.Min(2, states); next++)
            {
                stack.Push(empty.With(0, 0, new Transition(write, 1, next)));
            }
        }

        if (states == 1)
        {
            // The 1-state root halting at once.
            stack.Push(empty);
        }

        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var machine = stack.Pop();
            var run = Simulator.Run(machine, options.SimulationSteps);
            machines++;
            if (run.Halted)
            {
                var halted = machine.With(run.HaltState, run.HaltSymbol, new Transition(1, 1, TuringMachine.Halt));
                var final = Simulator.Run(halted, run.Steps);
                halting++;
                var decision = new BbDecision(BbVerdict.Halts, final.Steps, final.Ones, "simulation", new BbCertificate.Halts(final.Steps, final.Ones));
                Count(byDecider, "simulation");
                if (final.Steps > maxSteps || (final.Steps == maxSteps && final.Ones > championOnes))
                {
                    maxSteps = final.Steps;
                    championOnes = final.Ones;
                    champion = halted.ToString();
                }

                visit?.Invoke(new EnumeratedMachine(halted, decision));
                if (machine.DefinedCount < (2 * states) - 1)
                {
                    var used = 1;
                    for (var s = 0; s < states; s++)
                    {
                        for (var r = 0; r < 2; r++)
                        {
                            if (machine[s, r] is { Next: >= 0 } t)
                            {
                                used = Math.Max(used, t.Next + 1);
                            }
                        }
                    }

                    for (var next = Math.Min(used, states - 1); next >= 0; next--)
                    {
                        for (var write = 1; write >= 0; write--)
                        {
                            foreach (var move in new sbyte[] { 1, -1 })
                            {
                                stack.Push(machine.With(run.HaltState, run.HaltSymbol, new Transition((byte)write, move, next)));
                            }
                        }
                    }
                }

                continue;
            }

            var nonHalt = HaltingDecider.DecideNonHalting(machine, options.Deciders, run.Steps);
            if (nonHalt is not null)
            {
                nonHalting++;
                Count(byDecider, nonHalt.Decider!);
                visit?.Invoke(new EnumeratedMachine(machine, nonHalt));
            }
            else
            {
                undecided++;
                visit?.Invoke(new EnumeratedMachine(machine, new BbDecision(BbVerdict.Undecided, run.Steps, 0, null, null)));
            }
        }

        return new EnumerationReport(states, machines, halting, nonHalting, undecided, maxSteps, champion, championOnes, byDecider);
    }

    private static void Count(SortedDictionary<string, long> counts, string key) => counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;
}
