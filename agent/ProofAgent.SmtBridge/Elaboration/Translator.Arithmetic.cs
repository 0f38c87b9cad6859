using System.Globalization;

namespace ProofAgent.SmtBridge.Elaboration;

/// <summary>Arithmetic: elaboration of numeric terms (numerals, coercions, leaves) and their SMT-LIB with the prover's semantics.</summary>
internal sealed partial class Translator
{
    /// <summary>Elaborates a tree with an optional expected type.</summary>
    private Ex Elab(Term term, Env env, Ty? expected)
    {
        var ty = TreeType([term], env, expected, term.Span);
        var ex = Emit(term, env, ty);
        if (_language.Arithmetic.Typing == ArithmeticTyping.Strict && expected is { IsNumeric: true } && !ex.Type.Equals(expected))
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
                if (_language.Arithmetic.SlashIsFieldDivision && b.Operator == BinaryOperator.Div && ty.IsIntegral)
                {
                    throw new UntranslatableException($"'/' on {ty} (write div)", b.Span);
                }

                return Arith(b.Operator, Emit(b.Left, env, ty), Emit(b.Right, env, ty), ty, b.Span);
            case Binary { Operator: BinaryOperator.IntDiv } b:
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
                    var exponent = Elab(b.Right, env, _language.Arithmetic.ExponentType);
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
            case Identifier id when _language.Library.Constant(id.Name) is { } constant:
                return constant.Translate(this, id.Span);
            case Unary { Operator: UnaryOperator.Coerce } c:
                return Elab(c.Operand, env, null);
            case TypeAscription a:
                return Elab(a.Value, env, ElabType(a.Type, env));
            case Scoped s:
                return Elab(s.Value, env with { Scope = s.Scope }, LeafType(s, env));
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

        if (_language.Arithmetic.IntegerDivision == IntegerDivision.Floor && ty.Kind == TyKind.Int)
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
        if (_language.Arithmetic.IntegerDivision == IntegerDivision.Floor)
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
            if (_language.Arithmetic.IntegerDivision == IntegerDivision.Floor && ty.Kind == TyKind.Int)
            {
                // Z.div and Isabelle's div round toward -∞: for a negative divisor, floor(a/b) = div(-a, -b).
                return new Ex($"(ite (= {b.Smt} 0) 0 (ite (> {b.Smt} 0) (div {a.Smt} {b.Smt}) (div (- {a.Smt}) (- {b.Smt}))))", ty);
            }

            return new Ex($"(ite (= {b.Smt} 0) 0 (div {a.Smt} {b.Smt}))", ty);
        }

        if (b.Value is { } v && !v.IsZero)
        {
            return new Ex($"(/ {a.Smt} {b.Smt})", ty);
        }

        return new Ex($"(ite (= {b.Smt} 0.0) 0.0 (/ {a.Smt} {b.Smt}))", ty);
    }

    private Ex Modulo(Ex a, Ex b, Ty ty, SourceSpan span = default)
    {
        if (!ty.IsIntegral)
        {
            throw new UntranslatableException($"% in {ty}", span);
        }

        if (_language.Arithmetic.IntegerDivision == IntegerDivision.Floor && ty.Kind == TyKind.Int)
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

    /// <summary>π: an approximation, known only to lie between two 15-digit bounds.</summary>
    internal Ex Pi(SourceSpan span)
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

    /// <summary>An application in an arithmetic tree: a declared function, or a library function of the language's table.</summary>
    private Ex ApplicationLeaf(Application app, Env env, Ty ty)
    {
        if (app.Function is not Identifier { Name: var name })
        {
            throw new UntranslatableException("application of " + Describe(app.Function), app.Span);
        }

        if (env.Names.TryGetValue(name, out var binding) && binding.Type.Kind == TyKind.Fun)
        {
            return ApplyFunction(binding, app.Arguments, env, app.Span);
        }

        if (_language.Library.Function(name) is not { } rule)
        {
            throw new UntranslatableException(_language.UnknownFunction(name), app.Span);
        }

        if (app.Arguments.Count != rule.Arity)
        {
            throw new UntranslatableException($"{name} applied to {app.Arguments.Count} arguments", app.Span);
        }

        return rule.Translate(this, new FunctionCall(name, app.Arguments, env, ty, app.Span));
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
}
