using System.Text;

namespace ProofAgent.BusyBeaver;

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
