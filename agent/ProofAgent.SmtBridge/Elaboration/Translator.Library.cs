using System.Globalization;

namespace ProofAgent.SmtBridge.Elaboration;

/// <summary>
/// What the library functions mean in SMT-LIB. The language tables (<see cref="Lean4Language"/>, ...) only name them, so
/// that one meaning shared by several languages (Lean's <c>Real.sqrt</c>, Coq's <c>sqrt</c>) is written once.
/// </summary>
internal sealed partial class Translator
{
    /// <summary>What the solver may assume about an uninterpreted function.</summary>
    internal enum KnownBounds
    {
        None,

        /// <summary><c>exp x &gt; 0</c>.</summary>
        Positive,

        /// <summary><c>-1 ≤ sin x ≤ 1</c>.</summary>
        UnitInterval,
    }

    /// <summary>Lean's <c>Real.sqrt</c> and Coq's <c>sqrt</c>: the non-negative root of x ≥ 0, and 0 for a negative x.</summary>
    internal Ex RealSqrt(FunctionCall call)
    {
        var x = Elab(call.Arguments[0], call.Env, Ty.Real);
        if (x.Value is { } v && v.Sign >= 0)
        {
            var root = Numbers.IntegerSqrt(v);
            if (root * root == v)
            {
                return Literal(root, Ty.Real);
            }
        }

        if (BoundNamesIn(x.Smt))
        {
            if (!_declarations.Contains("(declare-fun real_sqrt (Real) Real)"))
            {
                _declarations.Add("(declare-fun real_sqrt (Real) Real)");
                _background.Add("(forall ((y Real)) (! (and (=> (>= y 0.0) (and (>= (real_sqrt y) 0.0) (= (* (real_sqrt y) (real_sqrt y)) y))) (=> (< y 0.0) (= (real_sqrt y) 0.0))) :pattern ((real_sqrt y))))");
            }

            return new Ex($"(real_sqrt {x.Smt})", Ty.Real);
        }

        return new Ex(Hoist("sqrt", x.Smt, call.Span, s => $"(and (=> (>= {x.Smt} 0.0) (and (>= {s} 0.0) (= (* {s} {s}) {x.Smt}))) (=> (< {x.Smt} 0.0) (= {s} 0.0)))"), Ty.Real);
    }

    /// <summary>Isabelle's <c>sqrt</c> is odd: <c>sqrt (-x) = - sqrt x</c>. s = sqrt x iff s has x's sign and s * s = |x|.</summary>
    internal Ex OddSqrt(FunctionCall call)
    {
        var x = Elab(call.Arguments[0], call.Env, Ty.Real);
        if (x.Value is { } v)
        {
            var root = Numbers.IntegerSqrt(BigInteger.Abs(v));
            if (root * root == BigInteger.Abs(v))
            {
                return Literal(v.Sign < 0 ? -root : root, Ty.Real);
            }
        }

        const string Definition = "(and (=> (>= {0} 0.0) (and (>= {1} 0.0) (= (* {1} {1}) {0}))) (=> (< {0} 0.0) (and (<= {1} 0.0) (= (* {1} {1}) (- {0})))))";
        if (BoundNamesIn(x.Smt))
        {
            if (!_declarations.Contains("(declare-fun isabelle_sqrt (Real) Real)"))
            {
                _declarations.Add("(declare-fun isabelle_sqrt (Real) Real)");
                _background.Add($"(forall ((y Real)) (! {string.Format(CultureInfo.InvariantCulture, Definition, "y", "(isabelle_sqrt y)")} :pattern ((isabelle_sqrt y))))");
            }

            return new Ex($"(isabelle_sqrt {x.Smt})", Ty.Real);
        }

        return new Ex(Hoist("sqrt", x.Smt, call.Span, s => string.Format(CultureInfo.InvariantCulture, Definition, x.Smt, s)), Ty.Real);
    }

    /// <summary>|x|, the argument elaborated at <paramref name="argument"/> (else at the context's type).</summary>
    internal Ex Abs(FunctionCall call, Ty? argument = null)
    {
        var x = Elab(call.Arguments[0], call.Env, argument ?? call.Expected);
        return new Ex($"(abs {x.Smt})", x.Type);
    }

    /// <summary>min or max of two arguments typed together (with the context's type).</summary>
    internal Ex MinMax(FunctionCall call, bool min)
    {
        var t = TreeType([call.Arguments[0], call.Arguments[1]], call.Env, call.Expected, call.Span);
        var a = Emit(call.Arguments[0], call.Env, t);
        var b = Emit(call.Arguments[1], call.Env, t);
        var op = min ? "<=" : ">=";
        return new Ex($"(ite ({op} {a.Smt} {b.Smt}) {a.Smt} {b.Smt})", t);
    }

    /// <summary>⌊x⌋ or ⌈x⌉ as an integer; <paramref name="toNat"/>: truncated at 0 (Mathlib's <c>Nat.floor</c>, <c>Nat.ceil</c>).</summary>
    internal Ex Rounding(FunctionCall call, bool floor, bool toNat = false)
    {
        var x = Elab(call.Arguments[0], call.Env, null);
        var r = FloorCeil(x, floor, call.Span);
        return toNat ? new Ex($"(ite (>= {r.Smt} 0) {r.Smt} 0)", Ty.Nat) : r;
    }

    /// <summary>Coq's <c>up x</c>: the least integer above x, ⌊x⌋ + 1.</summary>
    internal Ex Up(FunctionCall call)
    {
        var x = Elab(call.Arguments[0], call.Env, null);
        return new Ex($"(+ (to_int {x.Smt}) 1)", Ty.Int);
    }

    /// <summary>Lean's <c>Int.toNat</c>: negative integers become 0.</summary>
    internal Ex IntToNat(FunctionCall call)
    {
        var x = Elab(call.Arguments[0], call.Env, null);
        return new Ex($"(ite (>= {x.Smt} 0) {x.Smt} 0)", Ty.Nat);
    }

    /// <summary>Coq's <c>Z.to_nat</c>: negative integers become 0 (the argument is read in <c>Z_scope</c>).</summary>
    internal Ex ZToNat(FunctionCall call)
    {
        var x = Elab(call.Arguments[0], call.Env with { Scope = "Z" }, Ty.Int);
        return new Ex($"(ite (>= {x.Smt} 0) {x.Smt} 0)", Ty.Nat);
    }

    /// <summary>Isabelle's <c>nat</c>: negative integers become 0 (constants are folded).</summary>
    internal Ex NatOfInt(FunctionCall call)
    {
        var x = Elab(call.Arguments[0], call.Env, Ty.Int);
        return x.Value is { } v ? Literal(BigInteger.Max(v, 0), Ty.Nat) : new Ex($"(ite (>= {x.Smt} 0) {x.Smt} 0)", Ty.Nat);
    }

    /// <summary>|n| as a natural number (<c>Int.natAbs</c>, <c>Z.abs_nat</c>).</summary>
    internal Ex NatAbs(FunctionCall call)
    {
        var x = Elab(call.Arguments[0], call.Env, Ty.Int);
        return new Ex($"(abs {x.Smt})", Ty.Nat);
    }

    /// <summary>Isabelle's <c>Suc n</c> = n + 1.</summary>
    internal Ex Successor(FunctionCall call)
    {
        var x = Elab(call.Arguments[0], call.Env, Ty.Nat);
        return x.Value is { } v ? Literal(v + 1, Ty.Nat) : new Ex($"(+ {x.Smt} 1)", Ty.Nat);
    }

    /// <summary>
    /// gcd or lcm, computed when both arguments are constants (otherwise untranslatable). The arguments are elaborated
    /// at <paramref name="argument"/> (else the context's type); the result has <paramref name="result"/> (else theirs).
    /// </summary>
    internal Ex GcdLcm(FunctionCall call, bool gcd, Ty? argument = null, Ty? result = null)
    {
        var t = argument ?? call.Expected;
        var a = Elab(call.Arguments[0], call.Env, t);
        var b = Elab(call.Arguments[1], call.Env, t);
        if (a.Value is { } x && b.Value is { } y)
        {
            var g = BigInteger.GreatestCommonDivisor(x, y);
            var value = gcd ? g : g.IsZero ? BigInteger.Zero : BigInteger.Abs(x * y) / g;
            return Literal(value, result ?? a.Type);
        }

        throw new UntranslatableException($"{call.Name} of non-constants", call.Span);
    }

    /// <summary>n!, computed for a constant n.</summary>
    internal Ex Factorial(FunctionCall call) => Leaf(new Unary(UnaryOperator.Factorial, call.Arguments[0], call.Span), call.Env, call.Expected);

    /// <summary>The binomial coefficient, computed for constants.</summary>
    internal Ex Choose(FunctionCall call)
    {
        var n = Elab(call.Arguments[0], call.Env, Ty.Nat);
        var k = Elab(call.Arguments[1], call.Env, Ty.Nat);
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

        throw new UntranslatableException("Nat.choose of non-constants", call.Span);
    }

    /// <summary>
    /// A cast from <paramref name="from"/> (null: the argument's own type) to <paramref name="to"/> (null: the context's
    /// type). The argument's numerals are read in the source type's Coq scope.
    /// </summary>
    internal Ex Cast(FunctionCall call, Ty? from, Ty? to)
    {
        var target = to ?? call.Expected;
        var scope = from?.Kind == TyKind.Nat ? "nat" : from?.Kind == TyKind.Int ? "Z" : call.Env.Scope;
        var x = Elab(call.Arguments[0], call.Env with { Scope = scope }, from);
        if (from?.Kind == TyKind.Int && target.Kind == TyKind.Nat)
        {
            throw new UntranslatableException($"{call.Name} into nat (nat is not a ring)", call.Span);
        }

        return Coerce(x, target, call.Span);
    }

    /// <summary>Isabelle's <c>inverse</c> at the context's type: 1 / x, with <c>inverse 0 = 0</c>.</summary>
    internal Ex FieldInverse(FunctionCall call)
    {
        var ty = call.Expected;
        if (ty.IsIntegral)
        {
            throw new UntranslatableException($"inverse in {ty}", call.Span);
        }

        var x = Elab(call.Arguments[0], call.Env, ty);
        return Divide(Literal(BigInteger.One, ty), x, ty, call.Span);
    }

    /// <summary>
    /// A real function the solver does not know (<c>Real.log</c>, <c>exp</c>): uninterpreted, with the bounds it is known
    /// to have. "Valid" remains sound; a model is not a counterexample (it ignores what the function is).
    /// </summary>
    internal Ex Uninterpreted(FunctionCall call, KnownBounds bounds = KnownBounds.None)
    {
        var xs = call.Arguments.Select(a => Elab(a, call.Env, Ty.Real)).ToList();
        var symbol = "uf_" + Sanitize(call.Name);
        var signature = $"(declare-fun {symbol} ({string.Join(" ", xs.Select(_ => "Real"))}) Real)";
        if (!_declarations.Contains(signature))
        {
            _declarations.Add(signature);
            _approximations.Add($"{call.Name} is uninterpreted");
            var known = bounds switch
            {
                KnownBounds.Positive => $"(> ({symbol} x) 0.0)",
                KnownBounds.UnitInterval => $"(and (<= (- 1.0) ({symbol} x)) (<= ({symbol} x) 1.0))",
                _ => null,
            };
            if (known is not null)
            {
                _background.Add($"(forall ((x Real)) {known})");
            }
        }

        return new Ex($"({symbol} {string.Join(" ", xs.Select(x => x.Smt))})", Ty.Real);
    }

    /// <summary>The cardinality of a finite set with constant bounds.</summary>
    internal Ex Card(FunctionCall call) => Card(call.Arguments[0], call.Env, call.Span);

    /// <summary><c>Finset.sum s f</c> and <c>Finset.prod s f</c>: the big operator over s of f (a lambda, or a function applied to the index).</summary>
    internal Ex FinsetBigOperator(FunctionCall call, BigOperatorKind kind)
    {
        var args = call.Arguments;
        var variable = new BoundVariable("_k", null, null, null, call.Span);
        var body = args[1] is BinderTerm { Kind: BinderKind.Lambda, Variables.Count: 1 } lambda
            ? (lambda.Variables[0], lambda.Body)
            : (variable, (Term)new Application(args[1], [new Identifier("_k", call.Span)], call.Span));
        return Big(new BigOperator(kind, body.Item1, args[0], body.Item2, call.Span), call.Env, call.Expected);
    }

    // ------------------------------------------------------------------ predicates

    /// <summary>Primality of a constant, its argument elaborated at <paramref name="argument"/>.</summary>
    internal string Prime(FunctionCall call, Ty argument)
    {
        var n = Elab(call.Arguments[0], call.Env, argument);
        if (n.Value is { } value)
        {
            return Numbers.IsPrime(value) ? "true" : "false";
        }

        throw new UntranslatableException($"{call.Name} of a non-constant", call.Span);
    }

    /// <summary>Even or odd, on ℕ or ℤ.</summary>
    internal string Parity(FunctionCall call, bool even)
    {
        var n = Elab(call.Arguments[0], call.Env, null);
        if (!n.Type.IsIntegral)
        {
            throw new UntranslatableException($"{call.Name} over {n.Type}", call.Span);
        }

        return $"(= (mod {n.Smt} 2) {(even ? 0 : 1)})";
    }

    /// <summary>Mathlib's <c>IsLeast {x | P x} v</c> (or <c>IsGreatest</c>): v ∈ S ∧ ∀ x ∈ S, v ≤ x.</summary>
    internal string Extremum(FunctionCall call, bool least)
    {
        if (call.Arguments[0] is not SetBuilder set)
        {
            throw new UntranslatableException("proposition " + Describe(new Application(new Identifier(call.Name, call.Span), call.Arguments, call.Span)), call.Span);
        }

        var env = call.Env;
        var member = Member(call.Arguments[1], set, env, call.Span);
        var ty = set.Variable.Type is { } t ? ElabType(t, env) : InferBinderType(set.Variable.Name, set.Predicate, set.Variable, env, set.Span);
        var value = Elab(call.Arguments[1], env, ty);
        var x = FreshBound(Sanitize(set.Variable.Name));
        var inner = env.With(set.Variable.Name, new Binding(x, ty, null, true));
        var predicate = Prop(set.Predicate, inner);
        var guard = ty.Kind == TyKind.Nat ? $"(>= {x} 0) " : string.Empty;
        var order = least ? $"(<= {value.Smt} {x})" : $"(>= {value.Smt} {x})";
        return $"(and {member} (forall (({x} {ty.Sort})) (=> (and {guard}{predicate}) {order})))";
    }

    /// <summary>Coprimality of two constant naturals.</summary>
    internal string Coprime(FunctionCall call)
    {
        var a = Elab(call.Arguments[0], call.Env, Ty.Nat);
        var b = Elab(call.Arguments[1], call.Env, Ty.Nat);
        if (a.Value is { } x && b.Value is { } y)
        {
            return BigInteger.GreatestCommonDivisor(x, y).IsOne ? "true" : "false";
        }

        throw new UntranslatableException("Nat.Coprime of non-constants", call.Span);
    }
}
