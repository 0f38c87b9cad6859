using System.Globalization;
using System.Text;

namespace ProofAgent.BusyBeaver;

/// <summary>One repeated-word-list run: the block length, the repeat count from which runs are summarized, and limits.</summary>
public sealed record RepWlParameters(int BlockLength, int Threshold)
{
    /// <summary>Most machine steps spent inside one block before giving up.</summary>
    public int MaxBlockSteps { get; init; } = 320;

    /// <summary>The closed set may hold at most this many abstract configurations.</summary>
    public int MaxConfigurations { get; init; } = 10_000;

    public override string ToString() => $"repwl({BlockLength}, {Threshold})";

    /// <summary>Block lengths 1-4 with thresholds 2-3 (Coq-BB5's BB(4) pipeline uses blocks of 4 and threshold 3).</summary>
    public static IReadOnlyList<RepWlParameters> Standard { get; } =
    [
        new(2, 2), new(2, 3), new(3, 2), new(3, 3), new(4, 2), new(4, 3), new(1, 3), new(5, 3), new(6, 3),
    ];
}

/// <summary>
/// Repeated word list (RepWL, a special case of closed tape languages; after Coq-BB5). The head stands between blocks of
/// <c>BlockLength</c> cells, facing one side; each half-tape is a stack of runs <c>w^k</c> (exactly k copies of the block
/// w) or <c>w^k+</c> (k or more), over blank cells. A macro step pops the block ahead (blank when the stack is empty;
/// <c>w^k+</c> yields both <c>w^(k-1)</c> and <c>w^k+</c>), runs the machine inside it until the head leaves, and pushes
/// the updated block on the side it left by (a run reaching <c>Threshold</c> copies becomes <c>w^Threshold+</c>; a blank
/// block on an empty stack vanishes). A set of abstract configurations closed under macro steps that contains the blank
/// tape proves that the machine never halts.
/// </summary>
public static class RepWlDecider
{
    public static BbCertificate.RepWl? Decide(TuringMachine machine, IEnumerable<RepWlParameters> parameters) =>
        ParameterSweep.First(parameters, p => Decide(machine, p));

    public static BbCertificate.RepWl? Decide(TuringMachine machine, RepWlParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.BlockLength < 1 || parameters.BlockLength > 16 || parameters.Threshold < 2)
        {
            throw new ArgumentException("block length must be 1 to 16 and the threshold at least 2", nameof(parameters));
        }

        var start = new Config(Stack.Empty, 0, 1, Stack.Empty);
        var seen = new Dictionary<string, Config>(StringComparer.Ordinal) { [start.ToString()] = start };
        var queue = new Queue<Config>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var config = queue.Dequeue();
            var successors = Step(machine, parameters, config);
            if (successors is null)
            {
                return null;
            }

            foreach (var next in successors)
            {
                if (seen.TryAdd(next.ToString(), next))
                {
                    if (seen.Count > parameters.MaxConfigurations)
                    {
                        return null;
                    }

                    queue.Enqueue(next);
                }
            }
        }

        var texts = seen.Keys.ToList();
        texts.Sort(StringComparer.Ordinal);
        return new BbCertificate.RepWl(parameters.BlockLength, parameters.Threshold, texts);
    }

    /// <summary>The macro-step successors, or null when a block halts or the head stays in it too long.</summary>
    private static List<Config>? Step(TuringMachine machine, RepWlParameters p, Config config)
    {
        var results = new List<Config>();
        foreach (var (block, rest) in config.Ahead.Pop(p.BlockLength))
        {
            var cells = block.ToCharArray();
            var position = 0;
            var state = config.State;
            var steps = 0;
            while (position >= 0 && position < cells.Length)
            {
                if (++steps > p.MaxBlockSteps || machine[state, cells[position] - '0'] is not { Next: >= 0 } t)
                {
                    return null;
                }

                cells[position] = (char)('0' + t.Write);
                position += t.Move * config.Facing;
                state = t.Next;
            }

            if (position == cells.Length)
            {
                // Left forwards: the block joins the stack behind, its last cell nearest the head.
                Array.Reverse(cells);
                results.Add(new Config(config.Behind.Push(new string(cells), p.Threshold), state, config.Facing, rest));
            }
            else
            {
                // Turned back: the block returns to the stack ahead, which is now behind.
                results.Add(new Config(rest.Push(new string(cells), p.Threshold), state, -config.Facing, config.Behind));
            }
        }

        return results;
    }

    /// <summary>An abstract configuration: the stacks behind and ahead of the head, the state and the facing direction.</summary>
    private sealed record Config(Stack Behind, int State, int Facing, Stack Ahead)
    {
        public override string ToString() => $"{Behind}|{(char)('A' + State)}{(Facing > 0 ? 'R' : 'L')}|{Ahead}";
    }

    private readonly record struct Run(string Word, int Count, bool AtLeast);

    /// <summary>An immutable stack of runs, nearest the head first.</summary>
    private sealed class Stack
    {
        private readonly Run[] _runs;

        private Stack(Run[] runs) => _runs = runs;

        public static Stack Empty { get; } = new([]);

        /// <summary>Each way to take one block off the stack: the block and what remains.</summary>
        public IEnumerable<(string Block, Stack Remaining)> Pop(int length)
        {
            if (_runs.Length == 0)
            {
                yield return (new string('0', length), this);
                yield break;
            }

            var top = _runs[0];
            var below = _runs[1..];
            yield return (top.Word, top.Count == 1 ? new Stack(below) : new Stack([new Run(top.Word, top.Count - 1, false), .. below]));
            if (top.AtLeast)
            {
                yield return (top.Word, this);
            }
        }

        public Stack Push(string word, int threshold)
        {
            if (_runs.Length == 0)
            {
                return word.All(c => c == '0') ? this : new Stack([new Run(word, 1, false)]);
            }

            var top = _runs[0];
            if (top.Word != word)
            {
                return new Stack([new Run(word, 1, false), .. _runs]);
            }

            var count = top.Count + 1;
            var run = count >= threshold ? new Run(word, threshold, true) : new Run(word, count, top.AtLeast);
            return new Stack([run, .. _runs[1..]]);
        }

        public override string ToString()
        {
            var b = new StringBuilder();
            foreach (var run in _runs)
            {
                if (b.Length > 0)
                {
                    b.Append(',');
                }

                b.Append(run.Word).Append('^').Append(run.Count.ToString(CultureInfo.InvariantCulture));
                if (run.AtLeast)
                {
                    b.Append('+');
                }
            }

            return b.ToString();
        }
    }
}
