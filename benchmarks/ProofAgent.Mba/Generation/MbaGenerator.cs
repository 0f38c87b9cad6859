using System.Numerics;

namespace ProofAgent.Mba;

/// <summary>One generated identity <c>Obfuscated = Simple</c> at <see cref="Bits"/> bits.</summary>
public sealed record MbaIdentity(string Id, MbaExpr Obfuscated, MbaExpr Simple, int Bits, bool Linear, int Depth);

/// <summary>
/// Generates MBA identities with known answers. Linear ones: a simple target Σ cᵢ·gᵢ plus integer null-space vectors
/// of the 0/1 truth-table matrix of random bitwise terms (each such combination is zero on all n-bit words by the
/// truth-table theorem). Polynomial ones: the linear form pushed through an invertible affine map A(x) = a·x + b (a odd)
/// and the quadratic permutation S(y) = y + c·y² with c = 2^⌈n/2⌉ (so c² ≡ 0 and S⁻¹(z) = z − c·z²), then back.
/// </summary>
public sealed class MbaGenerator
{
    private static readonly string[] Names = ["x", "y", "z"];
    private readonly MbaGeneratorOptions _options;
    private readonly Random _random;
    private readonly BitwiseTable _table;
    private readonly string[] _variables;

    public MbaGenerator(MbaGeneratorOptions options)
    {
        if (options.Variables is < 1 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "1 to 3 variables");
        }

        if (options.Bits is < 2 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "2 to 64 bits");
        }

        _options = options;
        _random = new Random(options.Seed);
        _variables = Names[..options.Variables];
        _table = new BitwiseTable(_variables);
    }

    public IEnumerable<MbaIdentity> Generate(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Next(i);
        }
    }

    public MbaIdentity Next(int index)
    {
        // Target: one or two simple terms with small coefficients.
        var target = new SortedDictionary<int, long>();
        var termCount = _random.Next(1, 3);
        while (target.Count < termCount)
        {
            var g = _random.Next(1, _table.FullMask);
            target[g] = new long[] { 1, 1, 1, 2, -1, 3 }[_random.Next(6)];
        }

        var simple = MbaSimplifier.Sum(target.Select(kv => (kv.Value, (MbaExpr?)_table.Smallest(kv.Key))));
        var obfuscated = Obfuscate(target, _options.Depth);
        if (_options.Polynomial)
        {
            obfuscated = PolynomialWrap(target);
        }

        return new MbaIdentity($"mba-{_options.Bits}b-{_options.Seed}-{index}", obfuscated, simple, _options.Bits, !_options.Polynomial, _options.Depth);
    }

    private MbaExpr Obfuscate(SortedDictionary<int, long> target, int depth)
    {
        var combo = new SortedDictionary<int, BigInteger>();
        foreach (var (g, c) in target)
        {
            combo[g] = c;
        }

        for (var layer = 0; layer < depth; layer++)
        {
            // Random bitwise terms, always including those already present so that they merge and disappear.
            var rows = 1 << _variables.Length;
            var columns = new SortedSet<int>(combo.Keys.Take(2));
            while (columns.Count < Math.Min(rows + 2, _table.FullMask - 1))
            {
                columns.Add(_random.Next(1, _table.FullMask + 1));
            }

            var cols = columns.ToArray();
            var matrix = new int[rows, cols.Length];
            for (var s = 0; s < rows; s++)
            {
                for (var j = 0; j < cols.Length; j++)
                {
                    matrix[s, j] = (cols[j] >> s) & 1;
                }
            }

            var basis = NullSpace.Of(matrix);
            foreach (var vector in basis)
            {
                var factor = _random.Next(-2, 3);
                if (factor == 0)
                {
                    continue;
                }

                for (var j = 0; j < cols.Length; j++)
                {
                    combo[cols[j]] = (combo.TryGetValue(cols[j], out var old) ? old : 0) + (factor * vector[j]);
                }
            }
        }

        var modulus = BigInteger.One << _options.Bits;
        var terms = new List<(long, MbaExpr?)>();
        foreach (var (g, c) in combo)
        {
            var reduced = MbaWords.Signed(MbaWords.Reduce(c, _options.Bits), _options.Bits);
            if (reduced == 0)
            {
                continue;
            }

            // The all-ones function is the word -1: keep it as a bitwise spelling so the constant stays hidden.
            terms.Add((reduced, g == _table.FullMask ? new MbaBinary(MbaBinaryOp.Or, new MbaVar(_variables[0]), new MbaUnary(MbaUnaryOp.Not, new MbaVar(_variables[0]))) : _table.Any(g, _random)));
        }

        // Shuffle deterministically so the target's terms are not first.
        var shuffled = terms.OrderBy(_ => _random.Next()).ToList();
        _ = modulus;
        return MbaSimplifier.Sum(shuffled);
    }

    private MbaExpr PolynomialWrap(SortedDictionary<int, long> target)
    {
        var bits = _options.Bits;
        var mask = MbaWords.Mask(bits);
        var a = ((ulong)_random.Next(1, 1 << Math.Min(bits - 1, 15)) * 2 + 1) & mask;
        var b = (ulong)_random.Next(1, 1 << Math.Min(bits, 15)) & mask;
        var aInverse = MbaWords.InverseOdd(a, bits);
        var c = BigInteger.One << ((bits + 1) / 2);
        MbaExpr Lit(BigInteger v) => new MbaConst(v);
        MbaExpr Mul(MbaExpr l, MbaExpr r) => new MbaBinary(MbaBinaryOp.Mul, l, r);
        MbaExpr Add(MbaExpr l, MbaExpr r) => new MbaBinary(MbaBinaryOp.Add, l, r);
        MbaExpr Sub(MbaExpr l, MbaExpr r) => new MbaBinary(MbaBinaryOp.Sub, l, r);
        var inner = Math.Max(1, _options.Depth - 1);

        // u = A(e) = a·e + b, each occurrence of e a different linear obfuscation of the target.
        MbaExpr U() => Add(Mul(Lit(a), Obfuscate(target, inner)), Lit(b));

        // v = S(u) = u + c·u·u
        var v = Add(U(), Mul(Lit(c), Mul(U(), U())));

        // w = S⁻¹(v) = v − c·v·v ; result = A⁻¹(w) = a⁻¹·w − a⁻¹·b   (mod 2^n)
        var w = Sub(v, Mul(Lit(c), Mul(v, v)));
        return Sub(Mul(Lit(aInverse), w), Lit((aInverse * b) & mask));
    }
}
