using System.Text;

namespace ProofAgent.Synthesis.BusyBeaver;

/// <summary>One transition: symbol to write, move (+1 right, -1 left), next state (<see cref="TuringMachine.Halt"/> halts).</summary>
public readonly record struct Transition(byte Write, sbyte Move, int Next);

/// <summary>
/// A 2-symbol Turing machine in the bbchallenge text format, e.g. <c>1RB1LC_1RC1RB_1RD0LE_1LA1LD_1RZ0LA</c>: one group
/// per state (A, B, ...), three characters per read symbol (write, L/R, next state; <c>Z</c> halts; <c>---</c> undefined,
/// which halts when reached). Steps count the halting transition.
/// </summary>
public sealed class TuringMachine
{
    public const int Halt = -2;
    public const int Undefined = -1;

    private readonly Transition?[] _table;

    public TuringMachine(int states, Transition?[] table)
    {
        if (states is < 1 or > 25 || table.Length != states * 2)
        {
            throw new ArgumentException("a machine needs 1 to 25 states and two transitions per state");
        }

        States = states;
        _table = table;
    }

    public int States { get; }

    public Transition? this[int state, int symbol] => _table[(state * 2) + symbol];

    public int DefinedCount => _table.Count(t => t is not null);

    public TuringMachine With(int state, int symbol, Transition? transition)
    {
        var copy = (Transition?[])_table.Clone();
        copy[(state * 2) + symbol] = transition;
        return new TuringMachine(States, copy);
    }

    public static TuringMachine Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var groups = text.Trim().Split('_');
        var states = groups.Length;
        if (states is < 1 or > 25)
        {
            throw new FormatException($"expected 1 to 25 '_'-separated state groups, got {states}");
        }

        var table = new Transition?[states * 2];
        for (var s = 0; s < states; s++)
        {
            var group = groups[s];
            if (group.Length != 6)
            {
                throw new FormatException($"state {(char)('A' + s)} (group {s + 1}) is '{group}': expected 6 characters, 3 per symbol (e.g. 1RB0LA)");
            }

            for (var r = 0; r < 2; r++)
            {
                var part = group.Substring(r * 3, 3);
                var at = $"state {(char)('A' + s)}, symbol {r} (character {GroupOffset(groups, s) + (r * 3) + 1})";
                if (part == "---")
                {
                    continue;
                }

                if (part[0] is not ('0' or '1'))
                {
                    throw new FormatException($"{at}: write symbol '{part[0]}' must be 0 or 1");
                }

                if (part[1] is not ('L' or 'R'))
                {
                    throw new FormatException($"{at}: move '{part[1]}' must be L or R");
                }

                int next;
                if (part[2] == 'Z')
                {
                    next = Halt;
                }
                else if (part[2] >= 'A' && part[2] < 'A' + states)
                {
                    next = part[2] - 'A';
                }
                else
                {
                    throw new FormatException($"{at}: next state '{part[2]}' must be A..{(char)('A' + states - 1)} or Z (halt)");
                }

                table[(s * 2) + r] = new Transition((byte)(part[0] - '0'), (sbyte)(part[1] == 'R' ? 1 : -1), next);
            }
        }

        return new TuringMachine(states, table);
    }

    private static int GroupOffset(string[] groups, int s) => groups.Take(s).Sum(g => g.Length + 1);

    public override string ToString()
    {
        var b = new StringBuilder();
        for (var s = 0; s < States; s++)
        {
            if (s > 0)
            {
                b.Append('_');
            }

            for (var r = 0; r < 2; r++)
            {
                if (this[s, r] is { } t)
                {
                    b.Append((char)('0' + t.Write)).Append(t.Move > 0 ? 'R' : 'L').Append(t.Next == Halt ? 'Z' : (char)('A' + t.Next));
                }
                else
                {
                    b.Append("---");
                }
            }
        }

        return b.ToString();
    }
}

/// <summary>Result of running a machine from the blank tape.</summary>
public sealed record SimulationResult(bool Halted, long Steps, long Ones, int State, int HaltState, int HaltSymbol)
{
    /// <summary>The run stopped before its step limit because the tape would have outgrown its cell limit.</summary>
    public bool TapeLimitReached { get; init; }
}

/// <summary>A fast simulator on a growable byte tape.</summary>
public static class Simulator
{
    /// <summary>
    /// Runs from the blank tape for at most <paramref name="maxSteps"/> steps. Halting (an explicit Z transition or an
    /// undefined one) counts as a step; an undefined transition writes nothing.
    /// </summary>
    public static SimulationResult Run(TuringMachine machine, long maxSteps) => Run(machine, maxSteps, DefaultMaxTapeCells);

    /// <summary>The default cell limit of <see cref="Run(TuringMachine, long, int)"/>: 256 MiB of tape.</summary>
    public const int DefaultMaxTapeCells = 1 << 28;

    /// <summary>
    /// As <see cref="Run(TuringMachine, long)"/>, stopping (not halted, <see cref="SimulationResult.TapeLimitReached"/>)
    /// when the visited tape would need more than <paramref name="maxTapeCells"/> cells: memory stays bounded whatever
    /// the step limit.
    /// </summary>
    public static SimulationResult Run(TuringMachine machine, long maxSteps, int maxTapeCells)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTapeCells, 1);
        var n = machine.States;
        var write = new byte[n * 2];
        var move = new int[n * 2];
        var next = new int[n * 2];
        for (var i = 0; i < n * 2; i++)
        {
            if (machine[i / 2, i % 2] is { } t)
            {
                write[i] = t.Write;
                move[i] = t.Move;
                next[i] = t.Next;
            }
            else
            {
                next[i] = TuringMachine.Undefined;
            }
        }

        var tape = new byte[1024];
        var head = tape.Length / 2;
        var state = 0;
        long steps = 0;
        long ones = 0;
        while (steps < maxSteps)
        {
            var index = (state * 2) + tape[head];
            var target = next[index];
            steps++;
            if (target == TuringMachine.Undefined)
            {
                return new SimulationResult(true, steps, ones, state, state, tape[head]);
            }

            ones += write[index] - tape[head];
            var read = tape[head];
            tape[head] = write[index];
            if (target == TuringMachine.Halt)
            {
                return new SimulationResult(true, steps, ones, state, state, read);
            }

            head += move[index];
            state = target;
            if ((uint)head >= (uint)tape.Length)
            {
                if (tape.Length >= maxTapeCells)
                {
                    return new SimulationResult(false, steps, ones, state, -1, -1) { TapeLimitReached = true };
                }

                var grown = new byte[Math.Min((long)tape.Length * 2, maxTapeCells)];
                var shift = head < 0 ? grown.Length - tape.Length : 0;
                Array.Copy(tape, 0, grown, shift, tape.Length);
                head += shift;
                tape = grown;
            }
        }

        return new SimulationResult(false, steps, ones, state, -1, -1);
    }
}
