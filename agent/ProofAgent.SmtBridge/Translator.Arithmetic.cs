using System.Globalization;
using System.Numerics;
using ProofAgent.Grammars;
using ProofAgent.Provers;

namespace ProofAgent.SmtBridge;

/// <summary>Arithmetic: elaboration of numeric terms (types, coercions, numerals) and their SMT-LIB with the prover's semantics.</summary>
internal sealed partial class Translator
{
    private static bool IsArithmetic(Term term) => term is Binary { Operator: BinaryOperator.Add or BinaryOperator.Sub or BinaryOperator.Mul or BinaryOperator.Div or BinaryOperator.IntDiv or BinaryOperator.Mod or BinaryOperator.Pow } or Unary { Operator: UnaryOperator.Neg };

    private static void CollectLeaves(Term term, List<Term> leaves)
    {
        switch (term)
        {
            case Binary { Operator: BinaryOperator.Pow } b:
                CollectLeaves(b.Left, leaves);
                break;
            case Binary { Operator: BinaryOperator.Add or BinaryOperator.Sub or BinaryOperator.Mul or BinaryOperator.Div or BinaryOperator.IntDiv or BinaryOperator.Mod } b:
                CollectLeaves(b.Left, leaves);
                CollectLeaves(b.Right, leaves);
                break;
            case Unary { Operator: UnaryOperator.Neg } u:
                CollectLeaves(u.Operand, leaves);
                break;
            default:
                leaves.Add(term);
                break;
        }
    }

    private Ty? TryTreeType(Term term, Env env)
    {
        var leaves = new List<Term>();
        CollectLeaves(term, leaves);
        var known = leaves.Select(l => LeafType(l, env)).OfType<Ty>().ToList();
        return known.Count == 0 ? null : known.MaxBy(t => t.Rank);
    }

    /// <summary>The type of an arithmetic tree (or of several trees compared with each other): the largest leaf type and the expected type.</summary>
    private Ty TreeType(IReadOnlyList<Term> roots, Env env, Ty? expected, SourceSpan span)
    {
        var leaves = new List<Term>();
        foreach (var root in roots)
        {
            CollectLeaves(root, leaves);
        }

        var known = leaves.Select(l => LeafType(l, env)).OfType<Ty>().ToList();
        if (known.Any(t => t.Kind == TyKind.Prop))
        {
            return known.All(t => t.Kind == TyKind.Prop) ? Ty.Prop : throw new UntranslatableException("mixes propositions and numbers", span);
        }

        foreach (var ty in known)
        {
            if (!ty.IsNumeric)
            {
                throw new UntranslatableException($"arithmetic in {ty}", span);
            }
        }

        if (IsIsabelle)
        {
            foreach (var leaf in leaves)
            {
                switch (leaf)
                {
                    case Application { Function: Identifier f } when !IsabelleFunctions.Contains(f.Name) && !(env.Names.TryGetValue(f.Name, out var b) && b.Type.Kind == TyKind.Fun):
                        throw new UntranslatableException($"Isabelle function {f.Name} is not translated", leaf.Span);
                    case Binary { Operator: BinaryOperator.RealPow }:
                        throw new UntranslatableException("powr (real exponent) is not translated", leaf.Span);
                }
            }

            // HOL has no subtyping: every leaf has the one type of the tree. Where the leaves disagree, Isabelle's
            // coercion inference would place coercions we do not reproduce, so this is not translated.
            var kinds = known.Select(t => t.ToString()).Distinct(StringComparer.Ordinal).ToList();
            if (kinds.Count > 1 || (kinds.Count == 1 && expected is { IsNumeric: true } && !known[0].Equals(expected)))
            {
                throw new UntranslatableException($"mixed types without explicit casts: {string.Join(" and ", kinds.Concat(expected is { IsNumeric: true } ? [expected.ToString()] : []).Distinct(StringComparer.Ordinal))} (Isabelle's implicit coercions are not reproduced)", span);
            }

            return known.Count > 0 ? known[0] : expected is { IsNumeric: true } ? expected : throw new UntranslatableException("numerals of an unconstrained type (the statement is polymorphic)", span);
        }

        if (_dialect == ProofLanguage.Coq)
        {
            if (known.Select(t => t.Kind).Distinct().Count() > 1)
            {
                throw new UntranslatableException($"ill-typed arithmetic: {string.Join(" and ", known.Select(t => t.ToString()).Distinct(StringComparer.Ordinal))} without coercion", span);
            }

            return known.Count > 0 ? known[0] : expected is { IsNumeric: true } ? expected : ScopeType(env.Scope ?? DefaultScope, span);
        }

        if (expected is { IsNumeric: true })
        {
            known.Add(expected);
        }

        if (leaves.Any(l => l is NumberLiteral n && n.Text.Contains('.', StringComparison.Ordinal)) && known.All(t => t.IsIntegral))
        {
            throw new UntranslatableException("decimal literal without a field type", span);
        }

        return known.Count == 0 ? Ty.Nat : known.MaxBy(t => t.Rank)!;
    }

    private Ty ScopeType(string scope, SourceSpan span) => scope switch
    {
        "R" or "R_scope" => Ty.Real,
        "Z" or "Z_scope" => Ty.Int,
        "nat" or "nat_scope" => Ty.Nat,
        "Q" or "Q_scope" => Ty.Rat,
        SmtBridgeOptions.UnknownScope => throw new UntranslatableException("numerals whose type only Coq's open scope decides (a printed goal does not show the scope)", span),
        _ => throw new UntranslatableException($"numerals in scope %{scope}", span),
    };

    /// <summary>The type a leaf has on its own, or null when its context decides (numerals, ↑x).</summary>
    private Ty? LeafType(Term leaf, Env env)
    {
        switch (leaf)
        {
            case Identifier id when env.Names.TryGetValue(id.Name, out var binding):
                return binding.Type.Kind == TyKind.Fun ? null : binding.Type;
            case Identifier { Name: "Real.pi" or "π" or "PI" or "Real.exp 1" }:
                return Ty.Real;
            case TypeAscription a:
                return ElabType(a.Type, env);
            case Scoped s when _dialect == ProofLanguage.Coq:
                return TryTreeType(s.Value, env with { Scope = s.Scope }) ?? ScopeType(s.Scope, s.Span);
            case Unary { Operator: UnaryOperator.Factorial }:
                return Ty.Nat;
            case Unary { Operator: UnaryOperator.Floor or UnaryOperator.Ceil }:
                return Ty.Int;
            case Unary { Operator: UnaryOperator.Inverse or UnaryOperator.Abs } u:
                return TryTreeType(u.Operand, env);
            case Application { Function: Identifier f } app:
                {
                    if (env.Names.TryGetValue(f.Name, out var binding) && binding.Type.Kind == TyKind.Fun)
                    {
                        return binding.Type.Result;
                    }

                    return Builtins.ResultType(_dialect, f.Name) ?? (Builtins.IsPolymorphic(f.Name) ? app.Arguments.Select(a => TryTreeType(a, env)).OfType<Ty>().MaxBy(t => t.Rank) : null);
                }

            case BigOperator big:
                {
                    var ty = BigVariableType(big, env);
                    return TryTreeType(big.Body, env.With(big.Variable.Name, new Binding("?", ty, null, true)));
                }

            case IfThenElse ite:
                return new[] { TryTreeType(ite.Then, env), TryTreeType(ite.Else, env) }.OfType<Ty>().MaxBy(t => t.Rank);
            case Binary { Operator: BinaryOperator.Eq or BinaryOperator.Ne or BinaryOperator.Lt or BinaryOperator.Le or BinaryOperator.Gt or BinaryOperator.Ge or BinaryOperator.And or BinaryOperator.Or or BinaryOperator.Arrow or BinaryOperator.Iff or BinaryOperator.Dvd }:
                return Ty.Prop;
            case Unary { Operator: UnaryOperator.Not }:
                return Ty.Prop;
            default:
                return null;
        }
    }

    /// <summary>Elaborates a tree with an optional expected type.</summary>
    private Ex Elab(Term term, Env env, Ty? expected)
    {
        var ty = TreeType([term], env, expected, term.Span);
        var ex = Emit(term, env, ty);
        if (IsIsabelle && expected is { IsNumeric: true } && !ex.Type.Equals(expected))
        {
            throw new UntranslatableException($"{Describe(term)} has type {ex.Type} where {expected} is expected", term.Span);
        }

        return expected is { IsNumeric: true } && ex.Type.Rank < expected.Rank ? Coerce(ex, expected, term.Span) : ex;
    }

    /// <summary>Emits an arithmetic tree at type <paramref name="ty"/>, coercing its leaves.</summary>
    private Ex Emit(Term term, Env env, Ty ty)
    {
        switch (term)
        {
            case Binary { Operator: BinaryOperator.Add or BinaryOperator.Sub or BinaryOperator.Mul or BinaryOperator.Div or BinaryOperator.Mod } b:
                if (IsIsabelle && b.Operator == BinaryOperator.Div && ty.IsIntegral)
                {
                    throw new UntranslatableException($"'/' on {ty} (write div)", b.Span);
                }

                return Arith(b.Operator, Emit(b.Left, env, ty), Emit(b.Right, env, ty), ty, b.Span);
            case Binary { Operator: BinaryOperator.IntDiv } b when IsIsabelle:
                if (!ty.IsIntegral)
                {
                    throw new UntranslatableException($"div on {ty}", b.Span);
                }

                return Arith(BinaryOperator.Div, Emit(b.Left, env, ty), Emit(b.Right, env, ty), ty, b.Span);
            case Unary { Operator: UnaryOperator.Neg } u:
                {
                    if (ty.Kind == TyKind.Nat)
                    {
                        throw new UntranslatableException("negation in ℕ", u.Span);
                    }

                    var operand = Emit(u.Operand, env, ty);
                    return operand.Value is { } v ? Literal(-v, ty) : new Ex($"(- {operand.Smt})", ty);
                }

            case Binary { Operator: BinaryOperator.Pow } b:
                {
                    var baseEx = Emit(b.Left, env, ty);
                    var exponent = Elab(b.Right, env, IsIsabelle ? Ty.Nat : null);
                    return Power(baseEx, exponent, ty, b.Span);
                }

            default:
                return Coerce(Leaf(term, env, ty), ty, term.Span);
        }
    }

    private Ex Leaf(Term leaf, Env env, Ty ty)
    {
        switch (leaf)
        {
            case NumberLiteral n:
                return Number(n, ty);
            case Identifier id when env.Names.TryGetValue(id.Name, out var binding):
                if (binding.Value is { } value)
                {
                    return value;
                }

                if (binding.Type.Kind == TyKind.Fun)
                {
                    throw new UntranslatableException($"function {id.Name} used as a value", id.Span);
                }

                return new Ex(binding.Smt, binding.Type);
            case Identifier { Name: "Real.pi" or "π" or "PI" } pi:
                return Pi(pi.Span);
            case Unary { Operator: UnaryOperator.Coerce } c:
                return Elab(c.Operand, env, null);
            case TypeAscription a:
                return Elab(a.Value, env, ElabType(a.Type, env));
            case Scoped s:
                return Elab(s.Value, env with { Scope = s.Scope }, _dialect == ProofLanguage.Coq ? LeafType(s, env) : ty);
            case Unary { Operator: UnaryOperator.Factorial } f:
                {
                    var n = Elab(f.Operand, env, Ty.Nat);
                    if (n.Value is { } v && v <= 2000)
                    {
                        var result = BigInteger.One;
                        for (var i = 2; i <= (int)v; i++)
                        {
                            result *= i;
                        }

                        return Literal(result, Ty.Nat);
                    }

                    throw new UntranslatableException("factorial of a non-constant", f.Span);
                }

            case Unary { Operator: UnaryOperator.Inverse } inv:
                {
                    var x = Elab(inv.Operand, env, ty.IsIntegral ? null : ty);
                    if (x.Type.IsIntegral)
                    {
                        throw new UntranslatableException($"inverse in {x.Type}", inv.Span);
                    }

                    return Divide(Literal(BigInteger.One, x.Type), x, x.Type, inv.Span);
                }

            case Unary { Operator: UnaryOperator.Abs } abs:
                {
                    var x = Elab(abs.Operand, env, ty);
                    return new Ex($"(abs {x.Smt})", x.Type);
                }

            case Unary { Operator: UnaryOperator.Floor or UnaryOperator.Ceil } fl:
                {
                    var x = Elab(fl.Operand, env, null);
                    return FloorCeil(x, fl.Operator == UnaryOperator.Floor, fl.Span);
                }

            case Application app:
                return ApplicationLeaf(app, env, ty);
            case BigOperator big:
                return Big(big, env, ty);
            case IfThenElse ite:
                {
                    var condition = Prop(ite.Condition, env);
                    var then = Elab(ite.Then, env, ty);
                    var otherwise = Elab(ite.Else, env, ty);
                    return new Ex($"(ite {condition} {then.Smt} {otherwise.Smt})", ty);
                }

            case Identifier id:
                throw new UntranslatableException($"unknown name {id.Name}", id.Span);
            default:
                throw new UntranslatableException(Describe(leaf), leaf.Span);
        }
    }

    private Ex Number(NumberLiteral n, Ty ty)
    {
        if (n.Text.Contains('.', StringComparison.Ordinal))
        {
            if (ty.IsIntegral)
            {
                throw new UntranslatableException($"decimal {n.Text} in {ty}", n.Span);
            }

            var parts = n.Text.Split('.');
            var numerator = BigInteger.Parse(parts[0] + parts[1], CultureInfo.InvariantCulture);
            var denominator = BigInteger.Pow(10, parts[1].Length);
            return new Ex($"(/ {numerator}.0 {denominator}.0)", ty);
        }

        if (n.Text.Length > MaxLiteralDigits)
        {
            throw new UntranslatableException("literal too long", n.Span);
        }

        return Literal(BigInteger.Parse(n.Text, CultureInfo.InvariantCulture), ty);
    }

    private static Ex Literal(BigInteger value, Ty ty)
    {
        var magnitude = BigInteger.Abs(value).ToString(CultureInfo.InvariantCulture) + (ty.IsIntegral ? string.Empty : ".0");
        return new Ex(value.Sign < 0 ? $"(- {magnitude})" : magnitude, ty, value);
    }

    private static Ex Coerce(Ex ex, Ty ty, SourceSpan span)
    {
        if (ex.Type.Equals(ty) || (ex.Type.Kind == TyKind.Nat && ty.Kind == TyKind.Int) || (ex.Type.Kind == TyKind.Rat && ty.Kind == TyKind.Real))
        {
            return ex with { Type = ty };
        }

        if (ex.Type.IsIntegral && !ty.IsIntegral && ty.IsNumeric)
        {
            return ex.Value is { } v ? Literal(v, ty) : new Ex($"(to_real {ex.Smt})", ty);
        }

        throw new UntranslatableException($"cannot coerce {ex.Type} to {ty}", span);
    }

    private Ex Arith(BinaryOperator op, Ex a, Ex b, Ty ty, SourceSpan span)
    {
        if (a.Value is { } x && b.Value is { } y && (ty.IsIntegral || op != BinaryOperator.Div))
        {
            BigInteger? folded = op switch
            {
                BinaryOperator.Add => x + y,
                BinaryOperator.Sub => ty.Kind == TyKind.Nat ? BigInteger.Max(x - y, 0) : x - y,
                BinaryOperator.Mul => x * y,
                BinaryOperator.Div => DivideValues(x, y, ty),
                BinaryOperator.Mod when ty.IsIntegral => ModValues(x, y),
                _ => null,
            };
            if (folded is { } value && value.GetByteCount() < MaxLiteralDigits / 2)
            {
                return Literal(value, ty);
            }
        }

        return op switch
        {
            BinaryOperator.Add => new Ex($"(+ {a.Smt} {b.Smt})", ty),
            BinaryOperator.Sub when ty.Kind == TyKind.Nat => new Ex($"(ite (>= {a.Smt} {b.Smt}) (- {a.Smt} {b.Smt}) 0)", ty),
            BinaryOperator.Sub => new Ex($"(- {a.Smt} {b.Smt})", ty),
            BinaryOperator.Mul => new Ex($"(* {a.Smt} {b.Smt})", ty),
            BinaryOperator.Div => Divide(a, b, ty, span),
            _ => Modulo(a, b, ty, span),
        };
    }

    private BigInteger DivideValues(BigInteger x, BigInteger y, Ty ty)
    {
        if (y.IsZero)
        {
            return BigInteger.Zero;
        }

        // Euclidean (Lean Int.ediv, SMT-LIB div) or floor (Coq Z.div); on ℕ all agree.
        var q = BigInteger.DivRem(x, y, out var r);
        if (r.Sign < 0)
        {
            q = y.Sign > 0 ? q - 1 : q + 1;
        }

        if (FloorsIntegers && ty.Kind == TyKind.Int)
        {
            // Floor division (Coq Z.div, Isabelle div on int): truncate, then step down when the signs differ.
            var t = BigInteger.DivRem(x, y, out var rest);
            return !rest.IsZero && (rest.Sign < 0) != (y.Sign < 0) ? t - 1 : t;
        }

        return q;
    }

    private BigInteger ModValues(BigInteger x, BigInteger y)
    {
        if (y.IsZero)
        {
            return x;
        }

        var r = BigInteger.Remainder(x, y);
        if (FloorsIntegers)
        {
            // Z.modulo and Isabelle's mod: the sign of the divisor.
            return !r.IsZero && (r.Sign < 0) != (y.Sign < 0) ? r + y : r;
        }

        return r.Sign < 0 ? r + BigInteger.Abs(y) : r;
    }

    private Ex Divide(Ex a, Ex b, Ty ty, SourceSpan span)
    {
        if (ty.IsIntegral)
        {
            if (FloorsIntegers && ty.Kind == TyKind.Int)
            {
                // Z.div and Isabelle's div round toward -∞: for a negative divisor, floor(a/b) = div(-a, -b).
                return new Ex($"(ite (= {b.Smt} 0) 0 (ite (> {b.Smt} 0) (div {a.Smt} {b.Smt}) (div (- {a.Smt}) (- {b.Smt}))))", ty);
            }

            return new Ex($"(ite (= {b.Smt} 0) 0 (div {a.Smt} {b.Smt}))", ty);
        }

        if (_dialect == ProofLanguage.Coq)
        {
            // Rdiv a b = a * / b, and Rinv 0 is an unspecified real: one value for every zero divisor, nothing else known.
            return new Ex($"(* {a.Smt} {CoqInverse(b, span)})", ty);
        }

        if (b.Value is { } v && !v.IsZero)
        {
            return new Ex($"(/ {a.Smt} {b.Smt})", ty);
        }

        return new Ex($"(ite (= {b.Smt} 0.0) 0.0 (/ {a.Smt} {b.Smt}))", ty);
    }

    private string CoqInverse(Ex b, SourceSpan span)
    {
        if (b.Value is { } v && !v.IsZero)
        {
            return $"(/ 1.0 {b.Smt})";
        }

        if (!_declarations.Contains("(declare-const coq_rinv0 Real)"))
        {
            _declarations.Add("(declare-const coq_rinv0 Real)");
        }

        if (_boundNamesInScope(b.Smt))
        {
            // Under a binder: one uninterpreted inverse, with its defining axiom; Rinv 0 is the same unknown constant.
            if (!_declarations.Contains("(declare-fun coq_rinv (Real) Real)"))
            {
                _declarations.Add("(declare-fun coq_rinv (Real) Real)");
                _background.Add("(forall ((y Real)) (! (=> (not (= y 0.0)) (= (* y (coq_rinv y)) 1.0)) :pattern ((coq_rinv y))))");
                _background.Add("(= (coq_rinv 0.0) coq_rinv0)");
            }

            return $"(coq_rinv {b.Smt})";
        }

        return Hoist("inv", b.Smt, span, x => $"(and (=> (not (= {b.Smt} 0.0)) (= (* {b.Smt} {x}) 1.0)) (=> (= {b.Smt} 0.0) (= {x} coq_rinv0)))");
    }

    private Ex Modulo(Ex a, Ex b, Ty ty, SourceSpan span = default)
    {
        if (!ty.IsIntegral)
        {
            throw new UntranslatableException($"% in {ty}", span);
        }

        if (FloorsIntegers && ty.Kind == TyKind.Int)
        {
            // Z.modulo and Isabelle's mod take the sign of the divisor.
            return new Ex($"(ite (= {b.Smt} 0) {a.Smt} (ite (> {b.Smt} 0) (mod {a.Smt} {b.Smt}) (- (mod (- {a.Smt}) (- {b.Smt})))))", ty);
        }

        return new Ex($"(ite (= {b.Smt} 0) {a.Smt} (mod {a.Smt} {b.Smt}))", ty);
    }

    private Ex Modulo(Ex a, Ex b, Ty ty) => a.Value is { } x && b.Value is { } y ? Literal(ModValues(x, y), ty) : Modulo(a, b, ty, default);

    private Ex Power(Ex baseEx, Ex exponent, Ty ty, SourceSpan span)
    {
        if (exponent.Value is not { } k)
        {
            throw new UntranslatableException("power with a non-constant exponent", span);
        }

        if (k.Sign < 0)
        {
            throw new UntranslatableException("power with a negative exponent", span);
        }

        if (baseEx.Value is { } v)
        {
            if (k > 100_000 || (double)k * BigInteger.Abs(v).GetBitLength() > 200_000)
            {
                throw new UntranslatableException("power too large to compute", span);
            }

            return Literal(BigInteger.Pow(v, (int)k), ty);
        }

        if (k > MaxExpandedExponent)
        {
            throw new UntranslatableException($"power with exponent {k} (more than {MaxExpandedExponent})", span);
        }

        if (k.IsZero)
        {
            return Literal(BigInteger.One, ty);
        }

        return new Ex(k.IsOne ? baseEx.Smt : $"(* {string.Join(" ", Enumerable.Repeat(baseEx.Smt, (int)k))})", ty);
    }

    private Ex FloorCeil(Ex x, bool floor, SourceSpan span)
    {
        if (x.Type.IsIntegral)
        {
            return x with { Type = Ty.Int };
        }

        return floor ? new Ex($"(to_int {x.Smt})", Ty.Int) : new Ex($"(- (to_int (- {x.Smt})))", Ty.Int);
    }

    private Ex Pi(SourceSpan span)
    {
        if (!_declarations.Contains("(declare-const real_pi Real)"))
        {
            _declarations.Add("(declare-const real_pi Real)");
            _background.Add("(and (< 3.14159265358979 real_pi) (< real_pi 3.14159265358980))");
            _approximations.Add("π is only known to lie in (3.14159265358979, 3.14159265358980)");
        }

        _ = span;
        return new Ex("real_pi", Ty.Real);
    }

    /// <summary>The Isabelle/HOL functions whose meaning differs from Lean's and Coq's: casts, Suc, the odd sqrt, inverse 0 = 0.</summary>
    private Ex? IsabelleLeaf(string name, IReadOnlyList<Term> args, Env env, Ty ty, SourceSpan span)
    {
        if (args.Count != 1)
        {
            return name is "min" or "max" && args.Count == 2 ? null : throw new UntranslatableException($"{name} applied to {args.Count} arguments", span);
        }

        switch (name)
        {
            case "real" or "real_of_nat" or "of_nat" or "int" or "Suc":
                {
                    // real and int are of_nat at real and int; of_nat's target is the type of its context.
                    var x = Elab(args[0], env, Ty.Nat);
                    if (name == "Suc")
                    {
                        return x.Value is { } v ? Literal(v + 1, Ty.Nat) : new Ex($"(+ {x.Smt} 1)", Ty.Nat);
                    }

                    var target = name switch
                    {
                        "real" or "real_of_nat" => Ty.Real,
                        "int" => Ty.Int,
                        _ => ty,
                    };
                    return Coerce(x, target, span);
                }

            case "real_of_int" or "of_int":
                {
                    var x = Elab(args[0], env, Ty.Int);
                    var target = name == "real_of_int" ? Ty.Real : ty;
                    if (target.Kind == TyKind.Nat)
                    {
                        throw new UntranslatableException("of_int into nat (nat is not a ring)", span);
                    }

                    return Coerce(x, target, span);
                }

            case "nat":
                {
                    // nat of a negative integer is 0.
                    var x = Elab(args[0], env, Ty.Int);
                    return x.Value is { } v ? Literal(BigInteger.Max(v, 0), Ty.Nat) : new Ex($"(ite (>= {x.Smt} 0) {x.Smt} 0)", Ty.Nat);
                }

            case "inverse":
                {
                    if (ty.IsIntegral)
                    {
                        throw new UntranslatableException($"inverse in {ty}", span);
                    }

                    var x = Elab(args[0], env, ty);
                    return Divide(Literal(BigInteger.One, ty), x, ty, span);
                }

            case "sqrt":
                {
                    // Isabelle's sqrt is odd: sqrt (-x) = - sqrt x. s = sqrt x iff s has x's sign and s * s = |x|.
                    var x = Elab(args[0], env, Ty.Real);
                    if (x.Value is { } v)
                    {
                        var root = IntegerSqrt(BigInteger.Abs(v));
                        if (root * root == BigInteger.Abs(v))
                        {
                            return Literal(v.Sign < 0 ? -root : root, Ty.Real);
                        }
                    }

                    const string Definition = "(and (=> (>= {0} 0.0) (and (>= {1} 0.0) (= (* {1} {1}) {0}))) (=> (< {0} 0.0) (and (<= {1} 0.0) (= (* {1} {1}) (- {0})))))";
                    if (_boundNamesInScope(x.Smt))
                    {
                        if (!_declarations.Contains("(declare-fun isabelle_sqrt (Real) Real)"))
                        {
                            _declarations.Add("(declare-fun isabelle_sqrt (Real) Real)");
                            _background.Add($"(forall ((y Real)) (! {string.Format(CultureInfo.InvariantCulture, Definition, "y", "(isabelle_sqrt y)")} :pattern ((isabelle_sqrt y))))");
                        }

                        return new Ex($"(isabelle_sqrt {x.Smt})", Ty.Real);
                    }

                    return new Ex(Hoist("sqrt", x.Smt, span, s => string.Format(CultureInfo.InvariantCulture, Definition, x.Smt, s)), Ty.Real);
                }

            default:
                return null;
        }
    }

    private Ex ApplicationLeaf(Application app, Env env, Ty ty)
    {
        if (app.Function is not Identifier { Name: var name } head)
        {
            throw new UntranslatableException("application of " + Describe(app.Function), app.Span);
        }

        if (env.Names.TryGetValue(name, out var binding) && binding.Type.Kind == TyKind.Fun)
        {
            return ApplyFunction(binding, app.Arguments, env, app.Span);
        }

        var args = app.Arguments;
        if (IsIsabelle)
        {
            if (!IsabelleFunctions.Contains(name))
            {
                throw new UntranslatableException($"Isabelle function {name} is not translated", app.Span);
            }

            if (IsabelleLeaf(name, args, env, ty, app.Span) is { } isabelle)
            {
                return isabelle;
            }
        }

        switch (name)
        {
            case "Real.sqrt" or "sqrt" or "√" or "R_sqrt.sqrt" when args.Count == 1:
                {
                    var x = Elab(args[0], env, Ty.Real);
                    if (x.Value is { } v && v.Sign >= 0)
                    {
                        var root = IntegerSqrt(v);
                        if (root * root == v)
                        {
                            return Literal(root, Ty.Real);
                        }
                    }

                    // √x for x ≥ 0 is the non-negative root; Real.sqrt and Coq's sqrt of a negative number are 0.
                    if (_boundNamesInScope(x.Smt))
                    {
                        if (!_declarations.Contains("(declare-fun real_sqrt (Real) Real)"))
                        {
                            _declarations.Add("(declare-fun real_sqrt (Real) Real)");
                            _background.Add("(forall ((y Real)) (! (and (=> (>= y 0.0) (and (>= (real_sqrt y) 0.0) (= (* (real_sqrt y) (real_sqrt y)) y))) (=> (< y 0.0) (= (real_sqrt y) 0.0))) :pattern ((real_sqrt y))))");
                        }

                        return new Ex($"(real_sqrt {x.Smt})", Ty.Real);
                    }

                    return new Ex(Hoist("sqrt", x.Smt, app.Span, s => $"(and (=> (>= {x.Smt} 0.0) (and (>= {s} 0.0) (= (* {s} {s}) {x.Smt}))) (=> (< {x.Smt} 0.0) (= {s} 0.0)))"), Ty.Real);
                }

            case "abs" or "Rabs" or "Z.abs" or "|" when args.Count == 1:
                {
                    var x = Elab(args[0], env, name == "Rabs" ? Ty.Real : ty);
                    return new Ex($"(abs {x.Smt})", x.Type);
                }

            case "min" or "max" or "Rmin" or "Rmax" or "Z.min" or "Z.max" or "Nat.min" or "Nat.max" when args.Count == 2:
                {
                    var t = TreeType([args[0], args[1]], env, ty, app.Span);
                    var a = Emit(args[0], env, t);
                    var b = Emit(args[1], env, t);
                    var op = name.EndsWith("min", StringComparison.Ordinal) ? "<=" : ">=";
                    return new Ex($"(ite ({op} {a.Smt} {b.Smt}) {a.Smt} {b.Smt})", t);
                }

            case "Int.floor" or "Int.ceil" or "floor" or "ceiling" or "Int.toNat" or "Nat.floor" or "Nat.ceil" or "up" when args.Count == 1:
                {
                    var x = Elab(args[0], env, null);
                    if (name == "Int.toNat")
                    {
                        return new Ex($"(ite (>= {x.Smt} 0) {x.Smt} 0)", Ty.Nat);
                    }

                    var isFloor = name is "Int.floor" or "floor" or "Nat.floor";
                    var r = FloorCeil(x, isFloor, app.Span);
                    if (name == "up")
                    {
                        return new Ex($"(+ (to_int {x.Smt}) 1)", Ty.Int);
                    }

                    return name.StartsWith("Nat.", StringComparison.Ordinal) ? new Ex($"(ite (>= {r.Smt} 0) {r.Smt} 0)", Ty.Nat) : r;
                }

            case "Int.natAbs" or "Z.abs_nat" when args.Count == 1:
                {
                    var x = Elab(args[0], env, Ty.Int);
                    return new Ex($"(abs {x.Smt})", Ty.Nat);
                }

            case "Nat.gcd" or "Nat.lcm" or "Int.gcd" or "Int.lcm" or "gcd" or "lcm" or "Z.gcd" or "Z.lcm" when args.Count == 2:
                {
                    var t = name.StartsWith("Nat", StringComparison.Ordinal) ? Ty.Nat : name.StartsWith("Z.", StringComparison.Ordinal) ? Ty.Int : ty;
                    var a = Elab(args[0], env, t);
                    var b = Elab(args[1], env, t);
                    if (a.Value is { } x && b.Value is { } y)
                    {
                        var g = BigInteger.GreatestCommonDivisor(x, y);
                        var result = name.EndsWith("gcd", StringComparison.Ordinal) ? g : g.IsZero ? BigInteger.Zero : BigInteger.Abs(x * y) / g;
                        return Literal(result, name.StartsWith("Int.", StringComparison.Ordinal) ? Ty.Nat : a.Type);
                    }

                    throw new UntranslatableException($"{name} of non-constants", app.Span);
                }

            case "Nat.factorial" or "fact" when args.Count == 1:
                return Leaf(new Unary(UnaryOperator.Factorial, args[0], app.Span), env, ty);
            case "Nat.choose" or "choose" when args.Count == 2:
                {
                    var n = Elab(args[0], env, Ty.Nat);
                    var k = Elab(args[1], env, Ty.Nat);
                    if (n.Value is { } nv && k.Value is { } kv && nv <= 10_000)
                    {
                        if (kv > nv)
                        {
                            return Literal(BigInteger.Zero, Ty.Nat);
                        }

                        var c = BigInteger.One;
                        for (BigInteger i = 0; i < kv; i++)
                        {
                            c = c * (nv - i) / (i + 1);
                        }

                        return Literal(c, Ty.Nat);
                    }

                    throw new UntranslatableException("Nat.choose of non-constants", app.Span);
                }

            case "INR" or "IZR" or "Z.of_nat" or "Z_of_nat" or "Int.ofNat" or "Nat.cast" or "Int.cast" or "IQR" or "Q2R" when args.Count == 1:
                {
                    var source = name switch
                    {
                        "INR" or "Z.of_nat" or "Z_of_nat" or "Int.ofNat" => Ty.Nat,
                        "IZR" => Ty.Int,
                        "Q2R" => Ty.Rat,
                        _ => null,
                    };
                    var target = name switch
                    {
                        "INR" or "IZR" or "Q2R" => Ty.Real,
                        "Z.of_nat" or "Z_of_nat" or "Int.ofNat" => Ty.Int,
                        _ => ty,
                    };
                    var x = Elab(args[0], env with { Scope = source?.Kind == TyKind.Nat ? "nat" : source?.Kind == TyKind.Int ? "Z" : env.Scope }, source);
                    return Coerce(x, target, app.Span);
                }

            case "Z.to_nat" when args.Count == 1:
                {
                    var x = Elab(args[0], env with { Scope = "Z" }, Ty.Int);
                    return new Ex($"(ite (>= {x.Smt} 0) {x.Smt} 0)", Ty.Nat);
                }

            case "Real.log" or "Real.exp" or "Real.sin" or "Real.cos" or "Real.tan" or "Real.arctan" or "ln" or "exp" or "sin" or "cos" or "tan" or "Real.logb" or "Rpower" or "Real.rpow" or "logb" when args.Count is 1 or 2:
                {
                    // Uninterpreted: "valid" remains sound, counterexamples do not (they ignore what the function is).
                    var xs = args.Select(a => Elab(a, env, Ty.Real)).ToList();
                    var symbol = "uf_" + Sanitize(name);
                    var signature = $"(declare-fun {symbol} ({string.Join(" ", xs.Select(_ => "Real"))}) Real)";
                    if (!_declarations.Contains(signature))
                    {
                        _declarations.Add(signature);
                        _approximations.Add($"{name} is uninterpreted");
                        if (name is "Real.exp" or "exp")
                        {
                            _background.Add($"(forall ((x Real)) (> ({symbol} x) 0.0))");
                        }
                        else if (name is "Real.sin" or "Real.cos" or "sin" or "cos")
                        {
                            _background.Add($"(forall ((x Real)) (and (<= (- 1.0) ({symbol} x)) (<= ({symbol} x) 1.0)))");
                        }
                    }

                    return new Ex($"({symbol} {string.Join(" ", xs.Select(x => x.Smt))})", Ty.Real);
                }

            case "Finset.card" when args.Count == 1:
                return Card(args[0], env, app.Span);
            case "Finset.sum" or "Finset.prod" when args.Count == 2:
                {
                    var variable = new BoundVariable("_k", null, null, null, app.Span);
                    var body = args[1] is BinderTerm { Kind: BinderKind.Lambda, Variables.Count: 1 } lambda
                        ? (lambda.Variables[0], lambda.Body)
                        : (variable, (Term)new Application(args[1], [new Identifier("_k", app.Span)], app.Span));
                    var kind = name == "Finset.sum" ? BigOperatorKind.Sum : BigOperatorKind.Product;
                    return Big(new BigOperator(kind, body.Item1, args[0], body.Item2, app.Span), env, ty);
                }

            default:
                throw new UntranslatableException(head.Name, app.Span);
        }
    }

    private Ex ApplyFunction(Binding binding, IReadOnlyList<Term> args, Env env, SourceSpan span)
    {
        var parameters = binding.Type.Parameters!;
        if (args.Count != parameters.Count)
        {
            throw new UntranslatableException($"partial application of a function of {parameters.Count} arguments", span);
        }

        var values = args.Select((a, i) => parameters[i].Kind == TyKind.Prop ? Prop(a, env) : Elab(a, env, parameters[i]).Smt);
        return new Ex($"({binding.Smt} {string.Join(" ", values)})", binding.Type.Result!);
    }

    /// <summary>The values of a finite index set with constant bounds: range, Icc, Ico, Ioc, Ioo, filter of those, literal sets.</summary>
    private (List<BigInteger> Values, Term? Filter, BoundVariable? FilterVariable, Ty Type) Enumerate(Term set, Env env, Ty elementType, SourceSpan span)
    {
        switch (set)
        {
            case Application { Function: Identifier { Name: "Finset.range" }, Arguments: [var n] }:
                {
                    var bound = Elab(n, env, Ty.Nat);
                    return (Range(0, Constant(bound, span) - 1, span), null, null, Ty.Nat);
                }

            case Application { Function: Identifier { Name: var name }, Arguments: [var lo, var hi] } when name is "Finset.Icc" or "Finset.Ico" or "Finset.Ioc" or "Finset.Ioo":
                {
                    var t = TreeType([lo, hi], env, elementType.IsNumeric ? elementType : null, span);
                    if (!t.IsIntegral)
                    {
                        throw new UntranslatableException($"{name} over {t}", span);
                    }

                    var low = Constant(Emit(lo, env, t), span);
                    var high = Constant(Emit(hi, env, t), span);
                    if (name[^2] == 'o')
                    {
                        low += 1;
                    }

                    if (name[^1] == 'o')
                    {
                        high -= 1;
                    }

                    return (Range(low, high, span), null, null, t);
                }

            case Application { Function: Identifier { Name: "Finset.filter" }, Arguments: [BinderTerm { Kind: BinderKind.Lambda, Variables: [var v] } predicate, var inner] }:
                {
                    var (values, filter, _, t) = Enumerate(inner, env, elementType, span);
                    if (filter is not null)
                    {
                        throw new UntranslatableException("nested Finset.filter", span);
                    }

                    return (values, predicate.Body, v, t);
                }

            default:
                throw new UntranslatableException("finite set " + Describe(set), set.Span);
        }
    }

    private static BigInteger Constant(Ex ex, SourceSpan span) => ex.Value ?? throw new UntranslatableException("bound of a finite sum that is not a constant", span);

    private static List<BigInteger> Range(BigInteger low, BigInteger high, SourceSpan span)
    {
        if (high - low + 1 > MaxExpandedTerms)
        {
            throw new UntranslatableException($"finite sum of {high - low + 1} terms (more than {MaxExpandedTerms})", span);
        }

        var values = new List<BigInteger>();
        for (var i = low; i <= high; i++)
        {
            values.Add(i);
        }

        return values;
    }

    private Ty BigVariableType(BigOperator big, Env env) =>
        big.Variable.Type is { } t ? ElabType(t, env) : big.Domain is Application { Function: Identifier { Name: "Finset.range" } } ? Ty.Nat : big.Domain is Application { Arguments.Count: 2 } a ? TryTreeType(a.Arguments[0], env) ?? TryTreeType(a.Arguments[1], env) ?? Ty.Nat : Ty.Nat;

    private Ex Big(BigOperator big, Env env, Ty ty)
    {
        if (big.Domain is null)
        {
            throw new UntranslatableException("big operator without a finite set", big.Span);
        }

        var elementType = BigVariableType(big, env);
        var (values, filter, filterVariable, domainType) = Enumerate(big.Domain, env, elementType, big.Span);
        var type = big.Variable.Type is not null ? elementType : domainType;
        var terms = new List<Ex>();
        var conditions = new List<string?>();
        foreach (var value in values)
        {
            var constant = Literal(value, type);
            var inner = env.With(big.Variable.Name, new Binding(constant.Smt, type, constant, false));
            string? condition = null;
            if (filter is not null)
            {
                var filterEnv = env.With(filterVariable!.Name, new Binding(constant.Smt, type, constant, false));
                condition = Prop(filter, filterEnv);
                if (condition == "false")
                {
                    continue;
                }

                if (condition == "true")
                {
                    condition = null;
                }
            }

            terms.Add(Elab(big.Body, inner, ty));
            conditions.Add(condition);
        }

        var resultType = terms.Count > 0 ? terms.MaxBy(t => t.Type.Rank)!.Type : ty;
        var neutral = big.Kind == BigOperatorKind.Sum ? BigInteger.Zero : BigInteger.One;
        var accumulated = Literal(neutral, resultType);
        for (var i = 0; i < terms.Count; i++)
        {
            var term = Coerce(terms[i], resultType, big.Span);
            if (conditions[i] is { } condition)
            {
                term = new Ex($"(ite {condition} {term.Smt} {Literal(neutral, resultType).Smt})", resultType);
            }

            accumulated = Arith(big.Kind == BigOperatorKind.Sum ? BinaryOperator.Add : BinaryOperator.Mul, accumulated, term, resultType, big.Span);
        }

        return accumulated;
    }

    private Ex Card(Term set, Env env, SourceSpan span)
    {
        var (values, filter, variable, type) = Enumerate(set, env, Ty.Nat, span);
        if (filter is null)
        {
            return Literal(values.Count, Ty.Nat);
        }

        var terms = values.Select(v =>
        {
            var constant = Literal(v, type);
            return Prop(filter, env.With(variable!.Name, new Binding(constant.Smt, type, constant, false)));
        }).Where(c => c != "false").ToList();
        var certain = terms.Count(c => c == "true");
        var open = terms.Where(c => c != "true").Select(c => $"(ite {c} 1 0)").ToList();
        return open.Count == 0 ? Literal(certain, Ty.Nat) : new Ex($"(+ {certain} {string.Join(" ", open)})", Ty.Nat);
    }
}
