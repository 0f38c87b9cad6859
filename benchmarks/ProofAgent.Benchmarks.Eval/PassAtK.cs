namespace ProofAgent.Benchmarks.Eval;

/// <summary>The unbiased pass@k estimator (Chen et al., 2021): 1 - C(n-c, k) / C(n, k), computed as a stable product.</summary>
public static class PassAtK
{
    /// <summary>pass@k for one problem with <paramref name="n"/> samples of which <paramref name="c"/> are correct.</summary>
    public static double Estimate(int n, int c, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(c);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, c);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, n);
        if (n - c < k)
        {
            return 1.0;
        }

        // C(n-c, k) / C(n, k) = prod_{i = n-c+1}^{n} (1 - k / i)
        var product = 1.0;
        for (var i = n - c + 1; i <= n; i++)
        {
            product *= 1.0 - ((double)k / i);
        }

        return 1.0 - product;
    }

    /// <summary>The mean of <see cref="Estimate"/> over problems, each given as (n, c).</summary>
    public static double Mean(IEnumerable<(int N, int C)> problems, int k)
    {
        var list = problems.ToList();
        return list.Count == 0 ? 0 : list.Average(p => Estimate(p.N, p.C, k));
    }
}
