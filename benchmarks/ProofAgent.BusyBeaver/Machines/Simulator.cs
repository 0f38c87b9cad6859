using System.Text;

namespace ProofAgent.BusyBeaver;

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
