namespace ProofAgent.SmtBridge.Elaboration;

/// <summary>Exact integer arithmetic the translator folds in C# (roots and primality of constants).</summary>
internal static class Numbers
{
    public static BigInteger IntegerSqrt(BigInteger n)
    {
        if (n < 2)
        {
            return n;
        }

        var x = (BigInteger)Math.Sqrt((double)n);
        while (x * x > n)
        {
            x--;
        }

        while ((x + 1) * (x + 1) <= n)
        {
            x++;
        }

        return x;
    }

    public static bool IsPrime(BigInteger n)
    {
        if (n < 2)
        {
            return false;
        }

        if (n > 1_000_000_000_000)
        {
            throw new UntranslatableException("primality of a very large constant", SourceSpan.None);
        }

        for (BigInteger d = 2; d * d <= n; d++)
        {
            if ((n % d).IsZero)
            {
                return false;
            }
        }

        return true;
    }
}
