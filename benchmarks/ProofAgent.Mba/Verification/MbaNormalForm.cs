using System.Numerics;

namespace ProofAgent.Mba;

/// <summary>
/// An algebraic normal form for MBA expressions, in the spirit of SiMBA (linear MBA) and GAMBA (MBA with products and
/// bitwise operations on arithmetic): an expression becomes a polynomial, with word coefficients, in the conjunctions
/// <c>v1 &amp; v2 &amp; ...</c> of its variables. Arithmetic expands as polynomials (<c>~e</c> is <c>-e - 1</c>). A bitwise
/// operation on operands that are bitwise functions (a linear combination of conjunctions whose truth table has only
/// 0 and 1) becomes the conjunction-basis form of the resulting truth table (Möbius transform, as SiMBA). An operand
/// that is not a bitwise function (<c>x - 1</c>, a product, a constant other than 0 and -1) becomes a fresh variable
/// standing for it (its complement is recognised as <c>~</c> of that variable), so <c>(x &amp; e) * (x | e)</c> is a
/// product of conjunctions of x and e; at the end each such variable alone is replaced by its polynomial.
/// <para>
/// Every step is an identity of functions on n-bit words, so equal normal forms prove an identity at that width (for
/// linear MBA the normal form is canonical, so this is complete there, at any width). A difference left over proves
/// nothing either way: the caller looks for a counterexample or asks a solver, which <see cref="Render"/> helps by
/// giving it the much smaller difference instead of the original question.
/// </para>
/// </summary>
public sealed class MbaNormalForm
{
    /// <summary>The most terms a polynomial may have before the normal form gives up.</summary>
    public const int DefaultMaxTerms = 20_000;

    /// <summary>The most variables (given and stand-ins) one bitwise operation may involve (its truth table has 2^this rows).</summary>
    private const int MaxBitwiseSupport = 16;

    /// <summary>Expressions deeper than this are not normalised (the walk is recursive).</summary>
    private const int MaxDepth = 1024;

    private readonly int _bits;
    private readonly int _maxTerms;
    private readonly ulong _mask;

    // Variables: the given ones, then stand-ins for non-bitwise operands of bitwise operations (with their polynomial).
    private readonly List<string?> _names = [];
    private readonly List<MbaPolynomial?> _standsFor = [];
    private readonly Dictionary<string, int> _given = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _standInByKey = new(StringComparer.Ordinal);

    // Atoms: conjunctions of variables, as bit masks over the variable indices.
    private readonly List<ulong> _atomMasks = [];
    private readonly Dictionary<ulong, int> _atoms = [];

    private MbaNormalForm(int bits, int maxTerms)
    {
        _bits = bits;
        _maxTerms = maxTerms;
        _mask = MbaWords.Mask(bits);
    }

    /// <summary>
    /// <c>lhs - rhs</c> in normal form at <paramref name="bits"/> bits, or null when the expressions are too large for
    /// it. A zero difference proves the identity.
    /// </summary>
    public static MbaNormalFormDifference? Difference(MbaExpr lhs, MbaExpr rhs, int bits, int maxTerms = DefaultMaxTerms)
    {
        ArgumentNullException.ThrowIfNull(lhs);
        ArgumentNullException.ThrowIfNull(rhs);
        if (bits is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "width must be between 1 and 64 bits");
        }

        if (lhs.Depth > MaxDepth || rhs.Depth > MaxDepth)
        {
            return null;
        }

        var form = new MbaNormalForm(bits, maxTerms);
        try
        {
            foreach (var name in MbaWords.Variables(lhs, rhs))
            {
                form.AddGiven(name);
            }

            var difference = form.Normalize(lhs).Subtract(form.Normalize(rhs));
            return new MbaNormalFormDifference(form, form.Expand(difference));
        }
        catch (PolynomialTooLargeException)
        {
            return null;
        }
    }

    /// <summary>A polynomial of this form as an expression (coefficients printed signed), for a solver or a reader.</summary>
    internal MbaExpr Render(MbaPolynomial polynomial)
    {
        var terms = new List<(long Coefficient, MbaExpr? Term)>();
        var constant = 0L;
        foreach (var (monomial, coefficient) in polynomial.Terms)
        {
            if (monomial.Degree == 0)
            {
                constant = MbaWords.Signed(coefficient, _bits);
                continue;
            }

            MbaExpr? product = null;
            foreach (var atom in monomial.Atoms)
            {
                var factor = RenderAtom(atom);
                product = product is null ? factor : new MbaBinary(MbaBinaryOp.Mul, product, factor);
            }

            terms.Add((MbaWords.Signed(coefficient, _bits), product));
        }

        if (constant != 0)
        {
            terms.Add((constant, null));
        }

        return MbaSimplifier.Sum(terms);
    }

    private void AddGiven(string name)
    {
        _given[name] = _names.Count;
        _names.Add(name);
        _standsFor.Add(null);
    }

    private MbaPolynomial Normalize(MbaExpr expr) => expr switch
    {
        MbaConst c => MbaPolynomial.Constant(MbaWords.Reduce(c.Value, _bits), _bits, _maxTerms),
        MbaVar v => MbaPolynomial.Atom(Atom(1UL << _given[v.Name]), _bits, _maxTerms),
        MbaUnary { Op: MbaUnaryOp.Neg } u => Normalize(u.Operand).Negate(),
        MbaUnary u => Normalize(u.Operand).Complement(),
        MbaBinary { Op: MbaBinaryOp.Add } b => Normalize(b.Left).Add(Normalize(b.Right)),
        MbaBinary { Op: MbaBinaryOp.Sub } b => Normalize(b.Left).Subtract(Normalize(b.Right)),
        MbaBinary { Op: MbaBinaryOp.Mul } b => Normalize(b.Left).Multiply(Normalize(b.Right)),
        MbaBinary b => Bitwise(b.Op, Normalize(b.Left), Normalize(b.Right)),
        _ => throw new ArgumentOutOfRangeException(nameof(expr)),
    };

    private int Atom(ulong variables)
    {
        if (!_atoms.TryGetValue(variables, out var id))
        {
            id = _atomMasks.Count;
            _atomMasks.Add(variables);
            _atoms[variables] = id;
        }

        return id;
    }

    /// <summary>The bitwise operation on two polynomials, each made a bitwise function first (by a stand-in if need be).</summary>
    private MbaPolynomial Bitwise(MbaBinaryOp op, MbaPolynomial left, MbaPolynomial right)
    {
        left = AsBitwise(left);
        right = AsBitwise(right);
        var support = BitOperations.PopCount(Support(left) | Support(right));
        if (support > MaxBitwiseSupport)
        {
            throw new PolynomialTooLargeException($"a bitwise operation on {support} variables");
        }

        var variables = Support(left) | Support(right);
        var (a, b) = (TruthTable(left, variables)!, TruthTable(right, variables)!);
        var table = new ulong[a.Length];
        for (var s = 0; s < table.Length; s++)
        {
            table[s] = op switch
            {
                MbaBinaryOp.And => a[s] & b[s],
                MbaBinaryOp.Or => a[s] | b[s],
                _ => a[s] ^ b[s],
            };
        }

        return FromTruthTable(table, variables);
    }

    private MbaPolynomial AsBitwise(MbaPolynomial polynomial)
    {
        if (TruthTable(polynomial, Support(polynomial)) is not null)
        {
            return polynomial;
        }

        // A stand-in variable for the operand, shared by equal operands; ~operand is ~ of the same stand-in.
        var key = polynomial.Key;
        if (_standInByKey.TryGetValue(key, out var known))
        {
            return StandIn(known);
        }

        if (_standInByKey.TryGetValue(polynomial.Complement().Key, out var complemented))
        {
            return StandIn(complemented).Complement();
        }

        if (_names.Count == 64)
        {
            throw new PolynomialTooLargeException("more than 64 variables and stand-ins");
        }

        var index = _names.Count;
        _names.Add(null);
        _standsFor.Add(polynomial);
        _standInByKey[key] = index;
        return StandIn(index);
    }

    private MbaPolynomial StandIn(int index) => MbaPolynomial.Atom(Atom(1UL << index), _bits, _maxTerms);

    /// <summary>The variables the atoms of a polynomial mention.</summary>
    private ulong Support(MbaPolynomial polynomial)
    {
        var mask = 0UL;
        foreach (var (monomial, _) in polynomial.Terms)
        {
            foreach (var atom in monomial.Atoms)
            {
                mask |= _atomMasks[atom];
            }
        }

        return mask;
    }

    /// <summary>
    /// The truth table over <paramref name="variables"/> (row s: bit j set = the j-th of them is 1) of a polynomial that
    /// is a bitwise function, or null when it is not one: a linear polynomial Σ c_S·(∧S) + c is, bit by bit,
    /// g(row) = Σ_{S ⊆ row} c_S - c (the constant is -c times the all-ones word), a function of that bit of each
    /// variable, and a bitwise function exactly when every g(row) is 0 or 1.
    /// </summary>
    private ulong[]? TruthTable(MbaPolynomial polynomial, ulong variables)
    {
        if (!polynomial.IsLinear)
        {
            return null;
        }

        var positions = Positions(variables);
        if (positions.Count > MaxBitwiseSupport)
        {
            return null;
        }

        var table = new ulong[1 << positions.Count];
        foreach (var (monomial, coefficient) in polynomial.Terms)
        {
            var row = monomial.Degree == 0 ? 0 : Row(_atomMasks[monomial.Atoms[0]], positions);
            table[row] = (table[row] + (monomial.Degree == 0 ? 0UL - coefficient : coefficient)) & _mask;
        }

        // Zeta transform: sum over subsets.
        for (var j = 0; j < positions.Count; j++)
        {
            for (var s = 0; s < table.Length; s++)
            {
                if (((s >> j) & 1) != 0)
                {
                    table[s] = (table[s] + table[s ^ (1 << j)]) & _mask;
                }
            }
        }

        return table.All(v => v <= 1) ? table : null;
    }

    /// <summary>The conjunction-basis form of a 0/1 truth table over <paramref name="variables"/> (Möbius transform).</summary>
    private MbaPolynomial FromTruthTable(ulong[] table, ulong variables)
    {
        var positions = Positions(variables);
        var c = (ulong[])table.Clone();
        for (var j = 0; j < positions.Count; j++)
        {
            for (var s = 0; s < c.Length; s++)
            {
                if (((s >> j) & 1) != 0)
                {
                    c[s] = (c[s] - c[s ^ (1 << j)]) & _mask;
                }
            }
        }

        // The empty conjunction is the all-ones word -1: its coefficient c becomes the constant -c.
        var terms = new List<(int Atom, ulong Coefficient)>();
        for (var s = 1; s < c.Length; s++)
        {
            if (c[s] == 0)
            {
                continue;
            }

            if (terms.Count == _maxTerms)
            {
                throw new PolynomialTooLargeException($"a bitwise function of {positions.Count} variables with more than {_maxTerms} conjunctions");
            }

            var mask = 0UL;
            for (var j = 0; j < positions.Count; j++)
            {
                if (((s >> j) & 1) != 0)
                {
                    mask |= 1UL << positions[j];
                }
            }

            terms.Add((Atom(mask), c[s]));
        }

        return MbaPolynomial.Linear(terms, 0UL - c[0], _bits, _maxTerms);
    }

    private static List<int> Positions(ulong variables)
    {
        var positions = new List<int>();
        for (var j = 0; j < 64; j++)
        {
            if (((variables >> j) & 1) != 0)
            {
                positions.Add(j);
            }
        }

        return positions;
    }

    private static int Row(ulong atomMask, List<int> positions)
    {
        var row = 0;
        for (var j = 0; j < positions.Count; j++)
        {
            if (((atomMask >> positions[j]) & 1) != 0)
            {
                row |= 1 << j;
            }
        }

        return row;
    }

    /// <summary>Each stand-in alone (not inside a conjunction) replaced by its polynomial, the latest first.</summary>
    private MbaPolynomial Expand(MbaPolynomial polynomial)
    {
        for (var index = _names.Count - 1; index >= 0; index--)
        {
            if (_standsFor[index] is { } value && _atoms.TryGetValue(1UL << index, out var atom))
            {
                polynomial = polynomial.Substitute(atom, value);
            }
        }

        return polynomial;
    }

    private MbaExpr RenderAtom(int atom)
    {
        MbaExpr? conjunction = null;
        foreach (var j in Positions(_atomMasks[atom]))
        {
            var variable = _names[j] is { } name ? new MbaVar(name) : Render(_standsFor[j]!);
            conjunction = conjunction is null ? variable : new MbaBinary(MbaBinaryOp.And, conjunction, variable);
        }

        return conjunction!;
    }
}

/// <summary><c>lhs - rhs</c> in <see cref="MbaNormalForm"/>; <see cref="IsZero"/> proves the identity.</summary>
public sealed class MbaNormalFormDifference
{
    private readonly MbaNormalForm _form;
    private readonly MbaPolynomial _difference;

    internal MbaNormalFormDifference(MbaNormalForm form, MbaPolynomial difference)
    {
        _form = form;
        _difference = difference;
    }

    public bool IsZero => _difference.IsZero;

    /// <summary>Terms left in the difference.</summary>
    public int Terms => _difference.Count;

    /// <summary>The difference as an expression: it is 0 on every input exactly when the identity holds.</summary>
    public MbaExpr ToExpression() => _form.Render(_difference);
}
