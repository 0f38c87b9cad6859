using System.Numerics;
using System.Runtime.InteropServices;

namespace ProofAgent.Mba;

/// <summary>
/// Decides <c>lhs = rhs</c> at n bits by evaluating <c>lhs - rhs</c> at every assignment of k variables (2^(k·n)
/// points), which is complete. The program of <see cref="MbaProgram"/> runs on blocks of points, one
/// <see cref="Vector{T}"/> instruction for as many points as the vector has lanes (32 byte lanes in a 256-bit register
/// at 8 bits): lanes of the narrowest integer type that holds n bits, since every operator's low n bits depend only on
/// its operands' low n bits. Blocks are shared among cores; the counterexample reported is the first in point order
/// (variable j takes bits j·n to j·n + n - 1 of the point index), whatever the number of cores.
/// </summary>
public static class MbaExhaustive
{
    /// <summary>The most points decided this way by default: 2^24, about 16 million (3 variables at 8 bits).</summary>
    public const int DefaultMaxPointBits = 24;

    /// <summary>The hard limit of this class (2^32 points).</summary>
    public const int MaxPointBits = 32;

    /// <summary>Vectors per block and per register: enough to hide the interpreter's dispatch, small enough for the L1 cache.</summary>
    private const int BlockVectors = 32;

    /// <summary>
    /// The first assignment (in point order) where <paramref name="lhs"/> and <paramref name="rhs"/> differ, or null
    /// when they agree on all of them. Requires <c>variables.Count · bits ≤ 32</c>.
    /// </summary>
    public static ulong[]? FindDifference(MbaExpr lhs, MbaExpr rhs, IReadOnlyList<string> variables, int bits, int maxDegreeOfParallelism = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lhs);
        ArgumentNullException.ThrowIfNull(rhs);
        ArgumentNullException.ThrowIfNull(variables);
        var pointBits = variables.Count * bits;
        if (bits is < 1 or > 64 || pointBits > MaxPointBits)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), $"{variables.Count} variables at {bits} bits: 2^{pointBits} points are more than 2^{MaxPointBits}");
        }

        var program = MbaProgram.Compile(new MbaBinary(MbaBinaryOp.Sub, lhs, rhs), bits, variables);
        var index = bits switch
        {
            <= 8 => FirstDifference<byte>(program, variables, bits, maxDegreeOfParallelism, cancellationToken),
            <= 16 => FirstDifference<ushort>(program, variables, bits, maxDegreeOfParallelism, cancellationToken),
            _ => FirstDifference<uint>(program, variables, bits, maxDegreeOfParallelism, cancellationToken),
        };
        return index is { } point ? Assignment(point, variables.Count, bits) : null;
    }

    private static ulong[] Assignment(ulong point, int variables, int bits)
    {
        var mask = MbaWords.Mask(bits);
        var values = new ulong[variables];
        for (var j = 0; j < variables; j++)
        {
            values[j] = (point >> (j * bits)) & mask;
        }

        return values;
    }

    private static ulong? FirstDifference<T>(MbaProgram program, IReadOnlyList<string> variables, int bits, int parallelism, CancellationToken cancellationToken)
        where T : unmanaged, IBinaryInteger<T>
    {
        var points = 1UL << (variables.Count * bits);
        var blockPoints = (ulong)(BlockVectors * Vector<T>.Count);
        if (points <= blockPoints)
        {
            return Scalar(program, variables, bits, points);
        }

        // Chunks of whole blocks, handed out in order; a chunk past a difference already found is skipped.
        var chunkBlocks = Math.Max(1UL, points / blockPoints / 256);
        var chunkPoints = chunkBlocks * blockPoints;
        var chunks = (long)(points / chunkPoints);
        var best = ulong.MaxValue;
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        Parallel.For(0, chunks, options, () => new Registers<T>(program.MaxStack, variables.Count, bits), (chunk, _, registers) =>
        {
            var start = (ulong)chunk * chunkPoints;
            for (var block = start; block < start + chunkPoints && block < Interlocked.Read(ref best); block += blockPoints)
            {
                if (registers.Run(program, block) is { } lane)
                {
                    var found = block + (ulong)lane;
                    for (var seen = Interlocked.Read(ref best); found < seen; seen = Interlocked.Read(ref best))
                    {
                        Interlocked.CompareExchange(ref best, found, seen);
                    }

                    break;
                }
            }

            return registers;
        }, _ => { });
        return best == ulong.MaxValue ? null : best;
    }

    /// <summary>Spaces smaller than one block (a variable of a few bits) are evaluated point by point.</summary>
    private static ulong? Scalar(MbaProgram program, IReadOnlyList<string> variables, int bits, ulong points)
    {
        var evaluator = new MbaEvaluator(program, bits, variables);
        for (ulong point = 0; point < points; point++)
        {
            if (evaluator.Evaluate(Assignment(point, variables.Count, bits)) != 0)
            {
                return point;
            }
        }

        return null;
    }

    /// <summary>One worker's register file: the value stack, BlockVectors vectors per slot, and each variable's lane pattern.</summary>
    private sealed class Registers<T>
        where T : unmanaged, IBinaryInteger<T>
    {
        private readonly Vector<T>[] _stack;
        private readonly Vector<T>[][] _patterns;
        private readonly int[] _shifts;
        private readonly Vector<T> _mask;
        private readonly ulong _wordMask;
        private readonly int _blockBits;

        public Registers(int maxStack, int variables, int bits)
        {
            _stack = new Vector<T>[maxStack * BlockVectors];
            _wordMask = MbaWords.Mask(bits);
            _mask = new Vector<T>(T.CreateTruncating(_wordMask));
            _blockBits = BitOperations.Log2((uint)(BlockVectors * Vector<T>.Count));
            _shifts = new int[variables];
            _patterns = new Vector<T>[variables][];

            // A block starts at a multiple of its size, so point = start | offset: variable j is
            // ((start >> shift) & mask) | ((offset >> shift) & mask), a constant or'ed with a pattern fixed per variable.
            var lanes = new T[BlockVectors * Vector<T>.Count];
            for (var j = 0; j < variables; j++)
            {
                _shifts[j] = j * bits;
                for (var offset = 0; offset < lanes.Length; offset++)
                {
                    lanes[offset] = T.CreateTruncating(_shifts[j] >= _blockBits ? 0UL : ((ulong)offset >> _shifts[j]) & _wordMask);
                }

                _patterns[j] = MemoryMarshal.Cast<T, Vector<T>>(lanes).ToArray();
            }
        }

        /// <summary>Runs the program on the block starting at <paramref name="start"/>; the first lane that is not zero, or null.</summary>
        public int? Run(MbaProgram program, ulong start)
        {
            var codes = program.Codes;
            var operands = program.Operands;
            var s = _stack.AsSpan();
            var top = -1;
            for (var i = 0; i < codes.Length; i++)
            {
                switch (codes[i])
                {
                    case MbaOpCode.Var:
                        {
                            var j = (int)operands[i];
                            var high = new Vector<T>(T.CreateTruncating((start >> _shifts[j]) & _wordMask));
                            var pattern = _patterns[j];
                            var r = s.Slice(++top * BlockVectors, BlockVectors);
                            for (var v = 0; v < BlockVectors; v++)
                            {
                                r[v] = high | pattern[v];
                            }

                            break;
                        }

                    case MbaOpCode.Const:
                        s.Slice(++top * BlockVectors, BlockVectors).Fill(new Vector<T>(T.CreateTruncating(operands[i])));
                        break;
                    case MbaOpCode.Not:
                        {
                            var r = s.Slice(top * BlockVectors, BlockVectors);
                            for (var v = 0; v < BlockVectors; v++)
                            {
                                r[v] = ~r[v];
                            }

                            break;
                        }

                    case MbaOpCode.Neg:
                        {
                            var r = s.Slice(top * BlockVectors, BlockVectors);
                            for (var v = 0; v < BlockVectors; v++)
                            {
                                r[v] = Vector<T>.Zero - r[v];
                            }

                            break;
                        }

                    default:
                        Binary(codes[i], s.Slice((top - 1) * BlockVectors, BlockVectors), s.Slice(top * BlockVectors, BlockVectors));
                        top--;
                        break;
                }
            }

            var result = s[..BlockVectors];
            for (var v = 0; v < BlockVectors; v++)
            {
                var masked = result[v] & _mask;
                if (masked != Vector<T>.Zero)
                {
                    for (var lane = 0; lane < Vector<T>.Count; lane++)
                    {
                        if (masked[lane] != T.Zero)
                        {
                            return (v * Vector<T>.Count) + lane;
                        }
                    }
                }
            }

            return null;
        }

        private static void Binary(MbaOpCode code, Span<Vector<T>> a, ReadOnlySpan<Vector<T>> b)
        {
            switch (code)
            {
                case MbaOpCode.Add:
                    for (var v = 0; v < BlockVectors; v++)
                    {
                        a[v] += b[v];
                    }

                    break;
                case MbaOpCode.Sub:
                    for (var v = 0; v < BlockVectors; v++)
                    {
                        a[v] -= b[v];
                    }

                    break;
                case MbaOpCode.Mul:
                    for (var v = 0; v < BlockVectors; v++)
                    {
                        a[v] *= b[v];
                    }

                    break;
                case MbaOpCode.And:
                    for (var v = 0; v < BlockVectors; v++)
                    {
                        a[v] &= b[v];
                    }

                    break;
                case MbaOpCode.Or:
                    for (var v = 0; v < BlockVectors; v++)
                    {
                        a[v] |= b[v];
                    }

                    break;
                default:
                    for (var v = 0; v < BlockVectors; v++)
                    {
                        a[v] ^= b[v];
                    }

                    break;
            }
        }
    }
}
