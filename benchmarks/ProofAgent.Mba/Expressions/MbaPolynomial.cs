using System.Globalization;
using System.Text;

namespace ProofAgent.Mba;

/// <summary>A product of atoms: their ids in ascending order, repeated for powers. The empty product is 1.</summary>
internal readonly struct Monomial : IEquatable<Monomial>, IComparable<Monomial>
{
    private readonly int[]? _atoms;
    private readonly int _hash;

    public Monomial(int[] sortedAtoms)
    {
        _atoms = sortedAtoms;
        var hash = new HashCode();
        foreach (var atom in sortedAtoms)
        {
            hash.Add(atom);
        }

        _hash = hash.ToHashCode();
    }

    public static Monomial One { get; } = new([]);

    public ReadOnlySpan<int> Atoms => _atoms ?? [];

    public int Degree => Atoms.Length;

    public static Monomial Of(int atom) => new([atom]);

    public Monomial Times(Monomial other)
    {
        var a = Atoms;
        var b = other.Atoms;
        var merged = new int[a.Length + b.Length];
        int i = 0, j = 0, k = 0;
        while (i < a.Length || j < b.Length)
        {
            merged[k++] = j >= b.Length || (i < a.Length && a[i] <= b[j]) ? a[i++] : b[j++];
        }

        return new Monomial(merged);
    }

    /// <summary>This monomial without <paramref name="atom"/>, and the power it had.</summary>
    public (Monomial Others, int Power) Without(int atom)
    {
        var rest = new List<int>(Degree);
        var power = 0;
        foreach (var a in Atoms)
        {
            if (a == atom)
            {
                power++;
            }
            else
            {
                rest.Add(a);
            }
        }

        return (new Monomial([.. rest]), power);
    }

    public bool Equals(Monomial other) => _hash == other._hash && Atoms.SequenceEqual(other.Atoms);

    public override bool Equals(object? obj) => obj is Monomial other && Equals(other);

    public override int GetHashCode() => _hash;

    /// <summary>By degree, then by atom ids: a total order, so that printed polynomials are canonical.</summary>
    public int CompareTo(Monomial other)
    {
        var byDegree = Degree.CompareTo(other.Degree);
        return byDegree != 0 ? byDegree : Atoms.SequenceCompareTo(other.Atoms);
    }

    public static bool operator ==(Monomial left, Monomial right) => left.Equals(right);

    public static bool operator !=(Monomial left, Monomial right) => !left.Equals(right);

    public static bool operator <(Monomial left, Monomial right) => left.CompareTo(right) < 0;

    public static bool operator >(Monomial left, Monomial right) => left.CompareTo(right) > 0;

    public static bool operator <=(Monomial left, Monomial right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Monomial left, Monomial right) => left.CompareTo(right) >= 0;
}

/// <summary>Raised when a product would have more terms than the normal form allows: the caller gives up on it.</summary>
internal sealed class PolynomialTooLargeException : Exception
{
    public PolynomialTooLargeException()
        : base("the polynomial has too many terms")
    {
    }

    public PolynomialTooLargeException(string message)
        : base(message)
    {
    }

    public PolynomialTooLargeException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// Σ coefficient · monomial over atoms, coefficients modulo 2^n (a word; zero terms are dropped). Immutable; every
/// operation is an identity of functions on n-bit words, whatever the atoms stand for.
/// </summary>
internal sealed class MbaPolynomial
{
    private readonly Dictionary<Monomial, ulong> _terms;
    private readonly ulong _mask;

    private MbaPolynomial(int bits, int maxTerms, Dictionary<Monomial, ulong> terms)
    {
        Bits = bits;
        MaxTerms = maxTerms;
        _mask = MbaWords.Mask(bits);
        _terms = terms;
    }

    public int Bits { get; }

    public int MaxTerms { get; }

    public int Count => _terms.Count;

    public bool IsZero => _terms.Count == 0;

    /// <summary>The terms in canonical order.</summary>
    public IEnumerable<(Monomial Monomial, ulong Coefficient)> Terms => _terms.OrderBy(t => t.Key).Select(t => (t.Key, t.Value));

    /// <summary>The coefficient of the empty monomial.</summary>
    public ulong ConstantTerm => _terms.GetValueOrDefault(Monomial.One);

    /// <summary>True when every monomial has degree at most one.</summary>
    public bool IsLinear => _terms.Keys.All(m => m.Degree <= 1);

    /// <summary>A canonical text of the polynomial (equal polynomials over the same atoms print alike).</summary>
    public string Key
    {
        get
        {
            var text = new StringBuilder();
            foreach (var (monomial, coefficient) in Terms)
            {
                text.Append(coefficient.ToString(CultureInfo.InvariantCulture)).Append('[');
                foreach (var atom in monomial.Atoms)
                {
                    text.Append(atom.ToString(CultureInfo.InvariantCulture)).Append(' ');
                }

                text.Append("] ");
            }

            return text.ToString();
        }
    }

    public static MbaPolynomial Constant(ulong value, int bits, int maxTerms)
    {
        var terms = new Dictionary<Monomial, ulong>();
        var masked = value & MbaWords.Mask(bits);
        if (masked != 0)
        {
            terms[Monomial.One] = masked;
        }

        return new MbaPolynomial(bits, maxTerms, terms);
    }

    /// <summary>Σ coefficient · atom + constant, built at once (terms with the same atom add up).</summary>
    public static MbaPolynomial Linear(IEnumerable<(int Atom, ulong Coefficient)> terms, ulong constant, int bits, int maxTerms)
    {
        var result = Constant(constant, bits, maxTerms);
        foreach (var (atom, coefficient) in terms)
        {
            result.Accumulate(result._terms, Monomial.Of(atom), coefficient);
            if (result._terms.Count > maxTerms)
            {
                throw new PolynomialTooLargeException($"more than {maxTerms} terms");
            }
        }

        return result;
    }

    public static MbaPolynomial Atom(int atom, int bits, int maxTerms) =>
        new(bits, maxTerms, new Dictionary<Monomial, ulong> { [Monomial.Of(atom)] = 1 });

    public MbaPolynomial Add(MbaPolynomial other) => Combine(other, 1);

    public MbaPolynomial Subtract(MbaPolynomial other) => Combine(other, ulong.MaxValue);

    public MbaPolynomial Negate() => Scale(ulong.MaxValue);

    /// <summary>~p = -p - 1.</summary>
    public MbaPolynomial Complement() => Negate().Add(Constant(ulong.MaxValue, Bits, MaxTerms));

    public MbaPolynomial Scale(ulong factor)
    {
        var terms = new Dictionary<Monomial, ulong>(_terms.Count);
        foreach (var (monomial, coefficient) in _terms)
        {
            Accumulate(terms, monomial, coefficient * factor);
        }

        return new MbaPolynomial(Bits, MaxTerms, terms);
    }

    public MbaPolynomial Multiply(MbaPolynomial other)
    {
        if ((long)_terms.Count * other._terms.Count > (long)MaxTerms * 16)
        {
            throw new PolynomialTooLargeException($"a product of {_terms.Count} and {other._terms.Count} terms");
        }

        var terms = new Dictionary<Monomial, ulong>();
        foreach (var (left, a) in _terms)
        {
            foreach (var (right, b) in other._terms)
            {
                Accumulate(terms, left.Times(right), a * b);
            }
        }

        return Checked(terms);
    }

    public MbaPolynomial Power(int exponent)
    {
        var result = Constant(1, Bits, MaxTerms);
        for (var i = 0; i < exponent; i++)
        {
            result = result.Multiply(this);
        }

        return result;
    }

    /// <summary>Replaces the atom by <paramref name="value"/> everywhere (an identity when the atom equals that value as a function).</summary>
    public MbaPolynomial Substitute(int atom, MbaPolynomial value)
    {
        var terms = new Dictionary<Monomial, ulong>();
        var powers = new Dictionary<int, MbaPolynomial>();
        foreach (var (monomial, coefficient) in _terms)
        {
            var (rest, power) = monomial.Without(atom);
            if (power == 0)
            {
                Accumulate(terms, monomial, coefficient);
                continue;
            }

            if (!powers.TryGetValue(power, out var raised))
            {
                powers[power] = raised = value.Power(power);
            }

            foreach (var (inner, factor) in raised._terms)
            {
                Accumulate(terms, rest.Times(inner), coefficient * factor);
            }

            if (terms.Count > MaxTerms)
            {
                throw new PolynomialTooLargeException($"{terms.Count} terms after substitution");
            }
        }

        return Checked(terms);
    }

    private MbaPolynomial Combine(MbaPolynomial other, ulong factor)
    {
        var terms = new Dictionary<Monomial, ulong>(_terms);
        foreach (var (monomial, coefficient) in other._terms)
        {
            Accumulate(terms, monomial, coefficient * factor);
        }

        return Checked(terms);
    }

    private MbaPolynomial Checked(Dictionary<Monomial, ulong> terms) =>
        terms.Count > MaxTerms ? throw new PolynomialTooLargeException($"{terms.Count} terms") : new MbaPolynomial(Bits, MaxTerms, terms);

    private void Accumulate(Dictionary<Monomial, ulong> terms, Monomial monomial, ulong add)
    {
        var sum = (terms.GetValueOrDefault(monomial) + add) & _mask;
        if (sum == 0)
        {
            terms.Remove(monomial);
        }
        else
        {
            terms[monomial] = sum;
        }
    }
}
