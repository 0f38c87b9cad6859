using System.Numerics;

namespace ProofAgent.Mba;

/// <summary>Integer basis of the null space of an integer matrix (exact rational elimination).</summary>
public static class NullSpace
{
    /// <summary>Vectors v (primitive, integer) with A·v = 0; A is rows × cols.</summary>
    public static IReadOnlyList<BigInteger[]> Of(int[,] a)
    {
        int rows = a.GetLength(0), cols = a.GetLength(1);
        // Row-reduce with fractions num/den kept per row: fraction-free (Bareiss-like) integer elimination to RREF.
        var m = new BigInteger[rows, cols];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < cols; j++)
            {
                m[i, j] = a[i, j];
            }
        }

        var pivots = new List<int>();
        var row = 0;
        for (var col = 0; col < cols && row < rows; col++)
        {
            var p = -1;
            for (var i = row; i < rows; i++)
            {
                if (!m[i, col].IsZero)
                {
                    p = i;
                    break;
                }
            }

            if (p < 0)
            {
                continue;
            }

            for (var j = 0; j < cols; j++)
            {
                (m[row, j], m[p, j]) = (m[p, j], m[row, j]);
            }

            for (var i = 0; i < rows; i++)
            {
                if (i == row || m[i, col].IsZero)
                {
                    continue;
                }

                BigInteger f = m[i, col], g = m[row, col];
                for (var j = 0; j < cols; j++)
                {
                    m[i, j] = (m[i, j] * g) - (m[row, j] * f);
                }

                Normalize(m, i, cols);
            }

            pivots.Add(col);
            row++;
        }

        var basis = new List<BigInteger[]>();
        for (var free = 0; free < cols; free++)
        {
            if (pivots.Contains(free))
            {
                continue;
            }

            // x_free = L (common multiple of pivots), x_pivot(r) = -m[r,free]·L / m[r,pivot].
            var l = BigInteger.One;
            for (var r = 0; r < pivots.Count; r++)
            {
                var d = BigInteger.Abs(m[r, pivots[r]]);
                l = l / BigInteger.GreatestCommonDivisor(l, d) * d;
            }

            var v = new BigInteger[cols];
            v[free] = l;
            for (var r = 0; r < pivots.Count; r++)
            {
                v[pivots[r]] = -m[r, free] * l / m[r, pivots[r]];
            }

            var g = v.Aggregate(BigInteger.Zero, (acc, x) => BigInteger.GreatestCommonDivisor(acc, x));
            basis.Add(g.IsZero ? v : v.Select(x => x / g).ToArray());
        }

        return basis;
    }

    private static void Normalize(BigInteger[,] m, int i, int cols)
    {
        var g = BigInteger.Zero;
        for (var j = 0; j < cols; j++)
        {
            g = BigInteger.GreatestCommonDivisor(g, m[i, j]);
        }

        if (g > 1)
        {
            for (var j = 0; j < cols; j++)
            {
                m[i, j] /= g;
            }
        }
    }
}
