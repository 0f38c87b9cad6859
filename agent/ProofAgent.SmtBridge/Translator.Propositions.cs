using System.Numerics;
using ProofAgent.Grammars;
using ProofAgent.Provers;

namespace ProofAgent.SmtBridge;

/// <summary>Propositions: connectives, relations, quantifiers, predicates and set membership.</summary>
internal sealed partial class Translator
{
    private string Prop(Term term, Env env)
    {
        switch (term)
        {
            case Binary { Operator: BinaryOperator.And } b:
                return $"(and {Prop(b.Left, env)} {Prop(b.Right, env)})";
            case Binary { Operator: BinaryOperator.Or } b:
                return $"(or {Prop(b.Left, env)} {Prop(b.Right, env)})";
            case Binary { Operator: BinaryOperator.Arrow or BinaryOperator.Implies or BinaryOperator.MetaImplies } b:
                return $"(=> {Prop(b.Left, env)} {Prop(b.Right, env)})";
            case Binary { Operator: BinaryOperator.Iff } b:
                return $"(= {Prop(b.Left, env)} {Prop(b.Right, env)})";
            case Unary { Operator: UnaryOperator.Not } u:
                return $"(not {Prop(u.Operand, env)})";
            case Binary { Operator: BinaryOperator.Eq or BinaryOperator.Ne or BinaryOperator.Lt or BinaryOperator.Le or BinaryOperator.Gt or BinaryOperator.Ge or BinaryOperator.Equiv } b:
                return Relation(b, env);
            case Binary { Operator: BinaryOperator.Dvd } b:
                {
                    var ty = TreeType([b.Left, b.Right], env, null, b.Span);
                    var left = Emit(b.Left, env, ty);
                    var right = Emit(b.Right, env, ty);
                    return Divides(left, right, b.Span);
                }

            case Binary { Operator: BinaryOperator.In or BinaryOperator.NotIn } b:
                {
                    var member = Member(b.Left, b.Right, env, b.Span);
                    return b.Operator == BinaryOperator.In ? member : $"(not {member})";
                }

            case Congruence c:
                {
                    var ty = c.Kind switch
                    {
                        "MOD" => Ty.Nat,
                        "ZMOD" => Ty.Int,
                        _ => throw new UntranslatableException($"congruence [{c.Kind} ...]", c.Span),
                    };
                    var n = Elab(c.Modulus, env, ty);
                    var left = Modulo(Elab(c.Left, env, ty), n, ty);
                    var right = Modulo(Elab(c.Right, env, ty), n, ty);
                    return $"(= {left.Smt} {right.Smt})";
                }

            case BinderTerm { Kind: BinderKind.Forall or BinderKind.Exists or BinderKind.ExistsUnique or BinderKind.MetaForall } q:
                return Quantifier(q, env);
            case Identifier { Name: "True" or "true" }:
                return "true";
            case Identifier { Name: "False" or "false" }:
                return "false";
            case Identifier id when env.Names.TryGetValue(id.Name, out var binding) && binding.Type.Kind == TyKind.Prop:
                return binding.Smt;
            case Application app:
                return PropApplication(app, env);
            case Scoped s:
                return Prop(s.Value, env with { Scope = s.Scope });
            case TypeAscription { Type: Identifier { Name: "Prop" } } a:
                return Prop(a.Value, env);
            default:
                throw new UntranslatableException("proposition " + Describe(term), term.Span);
        }
    }

    private string Relation(Binary b, Env env)
    {
        var ty = TreeType([b.Left, b.Right], env, null, b.Span);
        if (ty.Kind == TyKind.Prop)
        {
            var l = Prop(b.Left, env);
            var r = Prop(b.Right, env);
            return b.Operator switch
            {
                BinaryOperator.Eq => $"(= {l} {r})",
                BinaryOperator.Ne => $"(not (= {l} {r}))",
                _ => throw new UntranslatableException("order on propositions", b.Span),
            };
        }

        var left = Emit(b.Left, env, ty);
        var right = Emit(b.Right, env, ty);
        return b.Operator switch
        {
            BinaryOperator.Eq or BinaryOperator.Equiv => $"(= {left.Smt} {right.Smt})",
            BinaryOperator.Ne => $"(not (= {left.Smt} {right.Smt}))",
            BinaryOperator.Lt => $"(< {left.Smt} {right.Smt})",
            BinaryOperator.Le => $"(<= {left.Smt} {right.Smt})",
            BinaryOperator.Gt => $"(> {left.Smt} {right.Smt})",
            _ => $"(>= {left.Smt} {right.Smt})",
        };
    }

    private static string Divides(Ex left, Ex right, SourceSpan span)
    {
        if (!left.Type.IsIntegral)
        {
            throw new UntranslatableException($"divisibility in {left.Type}", span);
        }

        if (left.Value is { } a && right.Value is { } b)
        {
            return (a.IsZero ? b.IsZero : (b % a).IsZero) ? "true" : "false";
        }

        return $"(ite (= {left.Smt} 0) (= {right.Smt} 0) (= (mod {right.Smt} {left.Smt}) 0))";
    }

    private string Quantifier(BinderTerm q, Env env)
    {
        var declarations = new List<string>();
        var guards = new List<string>();
        var inner = env;
        foreach (var variable in q.Variables)
        {
            if (variable.Type is { } hypothesis && !IsTypeLike(hypothesis) && q.Kind is BinderKind.Forall or BinderKind.Exists)
            {
                // ∀ (_ : x ≠ 0), P is an implication; ∃ (_ : p), q a conjunction.
                guards.Add(Prop(hypothesis, inner));
                continue;
            }

            var ty = variable.Type is { } t ? ElabType(t, env) : InferBinderType(variable.Name, q.Body, variable, env, q.Span);
            if (!(ty.IsNumeric || ty.Kind == TyKind.Prop))
            {
                throw new UntranslatableException($"quantifier over {ty}", variable.Span);
            }

            var smt = FreshBound(Sanitize(variable.Name));
            declarations.Add($"({smt} {ty.Sort})");
            if (RangeGuard(smt, ty, FreshBound, out var witnesses) is { } guard)
            {
                declarations.AddRange(witnesses.Select(w => $"({w} Int)"));
                guards.Add(guard);
            }

            inner = inner.With(variable.Name, new Binding(smt, ty, null, true));
            if (variable.RestrictionOperator is { } op && variable.Restriction is { } restriction)
            {
                var asTerm = new Binary(op, new Identifier(variable.Name, variable.Span), restriction, variable.Span);
                guards.Add(Prop(asTerm, inner));
            }
        }

        var body = Prop(q.Body, inner);
        var binders = string.Join(" ", declarations);
        if (declarations.Count == 0 && q.Kind is BinderKind.Forall or BinderKind.MetaForall)
        {
            return guards.Count == 0 ? body : $"(=> {And(guards)} {body})";
        }

        if (declarations.Count == 0 && q.Kind == BinderKind.Exists)
        {
            return guards.Count == 0 ? body : $"(and {And(guards)} {body})";
        }

        switch (q.Kind)
        {
            case BinderKind.Forall or BinderKind.MetaForall:
                return guards.Count == 0 ? $"(forall ({binders}) {body})" : $"(forall ({binders}) (=> {And(guards)} {body}))";
            case BinderKind.Exists:
                return guards.Count == 0 ? $"(exists ({binders}) {body})" : $"(exists ({binders}) (and {And(guards)} {body}))";
            default:
                {
                    if (q.Variables.Count != 1)
                    {
                        throw new UntranslatableException("∃! over several variables", q.Span);
                    }

                    // ∃! x, P x  ≡  ∃ x, P x ∧ ∀ y, P y → y = x
                    var x = q.Variables[0];
                    var ty = inner.Names[x.Name].Type;
                    var y = FreshBound("u");
                    var witness = FreshBound("w");
                    var again = inner.With(x.Name, new Binding(y, ty, null, true));
                    var bodyY = Prop(q.Body, again);
                    var guardY = ty.Kind == TyKind.Nat ? $"(>= {y} 0) " : string.Empty;
                    var bodyW = Prop(q.Body, inner.With(x.Name, new Binding(witness, ty, null, true)));
                    var guardW = ty.Kind == TyKind.Nat ? $"(>= {witness} 0) " : string.Empty;
                    return $"(exists (({witness} {ty.Sort})) (and {guardW}{bodyW} (forall (({y} {ty.Sort})) (=> (and {guardY}{bodyY}) (= {y} {witness})))))";
                }
        }
    }

    private Ty InferBinderType(string name, Term body, BoundVariable variable, Env env, SourceSpan span)
    {
        if (IsIsabelle)
        {
            return IsabelleBinderType(name, body, variable, env, span);
        }

        // A restriction "x > 0" or "x ∈ S" types x like the other side.
        var candidates = new List<Ty>();
        if (variable.Restriction is { } restriction && TryTreeType(restriction, env) is { } restrictionType)
        {
            candidates.Add(restrictionType);
        }

        foreach (var use in Uses(name, body, env))
        {
            candidates.Add(use);
        }

        if (candidates.Count == 0)
        {
            if (_dialect == ProofLanguage.Coq)
            {
                return ScopeType(env.Scope ?? DefaultScope, span);
            }

            throw new UntranslatableException($"cannot infer the type of bound variable {name}", span);
        }

        return candidates[0];
    }

    /// <summary>
    /// An untyped Isabelle bound variable: typed only by direct uses, as an argument of a declared function or as one
    /// side of a comparison (or restriction) whose other side has typed leaves. All uses must agree.
    /// </summary>
    private Ty IsabelleBinderType(string name, Term body, BoundVariable variable, Env env, SourceSpan span)
    {
        var candidates = new List<Ty>();
        void Side(Term other)
        {
            var leaves = new List<Term>();
            CollectLeaves(other, leaves);
            if (leaves.Any(l => Mentions(l, name)))
            {
                return;
            }

            candidates.AddRange(leaves.Select(l => LeafType(l, env)).OfType<Ty>());
        }

        if (variable.Restriction is { } restriction)
        {
            Side(restriction);
        }

        foreach (var current in Subterms(body, name))
        {
            switch (current)
            {
                case Application { Function: Identifier f } app when env.Names.TryGetValue(f.Name, out var binding) && binding.Type.Kind == TyKind.Fun:
                    for (var i = 0; i < app.Arguments.Count && i < binding.Type.Parameters!.Count; i++)
                    {
                        if (app.Arguments[i] is Identifier id && id.Name == name)
                        {
                            candidates.Add(binding.Type.Parameters[i]);
                        }
                    }

                    break;
                case Binary { Operator: BinaryOperator.Eq or BinaryOperator.Ne or BinaryOperator.Lt or BinaryOperator.Le or BinaryOperator.Gt or BinaryOperator.Ge } rel:
                    if (rel.Left is Identifier { Name: var l } && l == name)
                    {
                        Side(rel.Right);
                    }
                    else if (rel.Right is Identifier { Name: var r } && r == name)
                    {
                        Side(rel.Left);
                    }

                    break;
                case TypeAscription { Value: Identifier { Name: var n } } a when n == name && IsTypeLike(a.Type):
                    candidates.Add(ElabType(a.Type, env));
                    break;
            }
        }

        var distinct = candidates.Select(t => t.ToString()).Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count switch
        {
            0 => throw new UntranslatableException($"cannot infer the type of bound variable {name}", span),
            1 => candidates[0],
            _ => throw new UntranslatableException($"bound variable {name} is used at types {string.Join(" and ", distinct)}", span),
        };
    }

    /// <summary>Types that uses of <paramref name="name"/> impose: argument positions of typed functions, then arithmetic next to typed leaves.</summary>
    private IEnumerable<Ty> Uses(string name, Term term, Env env)
    {
        var fromTrees = new List<Ty>();
        foreach (var current in Subterms(term, name))
        {
            switch (current)
            {
                case Application { Function: Identifier f } app when env.Names.TryGetValue(f.Name, out var binding) && binding.Type.Kind == TyKind.Fun:
                    for (var i = 0; i < app.Arguments.Count && i < binding.Type.Parameters!.Count; i++)
                    {
                        if (Mentions(app.Arguments[i], name))
                        {
                            yield return binding.Type.Parameters[i];
                        }
                    }

                    break;
                case Binary { Operator: BinaryOperator.Eq or BinaryOperator.Ne or BinaryOperator.Lt or BinaryOperator.Le or BinaryOperator.Gt or BinaryOperator.Ge } rel when Mentions(rel, name):
                    {
                        var leaves = new List<Term>();
                        CollectLeaves(rel.Left, leaves);
                        CollectLeaves(rel.Right, leaves);
                        if (leaves.Any(l => l is Identifier id && id.Name == name))
                        {
                            var known = leaves.Where(l => !(l is Identifier id && id.Name == name)).Select(l => LeafType(l, env)).OfType<Ty>().Where(t => t.IsNumeric).ToList();
                            if (known.Count > 0)
                            {
                                fromTrees.Add(known.MaxBy(t => t.Rank)!);
                            }
                        }

                        break;
                    }
            }
        }

        foreach (var ty in fromTrees)
        {
            yield return ty;
        }
    }

    /// <summary>
    /// The subterms of <paramref name="term"/> (itself included) where <paramref name="name"/> means the same variable:
    /// a binder that rebinds the name is not entered. Order: depth first, later children first.
    /// </summary>
    private static IEnumerable<Term> Subterms(Term term, string name)
    {
        var stack = new Stack<Term>();
        stack.Push(term);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            yield return current;
            switch (current)
            {
                case Application app:
                    foreach (var argument in app.Arguments)
                    {
                        stack.Push(argument);
                    }

                    break;
                case Binary b:
                    stack.Push(b.Left);
                    stack.Push(b.Right);
                    break;
                case Unary u:
                    stack.Push(u.Operand);
                    break;
                case BinderTerm q when q.Variables.All(v => v.Name != name):
                    stack.Push(q.Body);
                    break;
                case TypeAscription a:
                    stack.Push(a.Value);
                    break;
                case Scoped s:
                    stack.Push(s.Value);
                    break;
                case IfThenElse ite:
                    stack.Push(ite.Condition);
                    stack.Push(ite.Then);
                    stack.Push(ite.Else);
                    break;
            }
        }
    }

    private static bool Mentions(Term term, string name) => term switch
    {
        Identifier id => id.Name == name,
        Binary b => Mentions(b.Left, name) || Mentions(b.Right, name),
        Unary u => Mentions(u.Operand, name),
        Application a => Mentions(a.Function, name) || a.Arguments.Any(x => Mentions(x, name)),
        TypeAscription t => Mentions(t.Value, name),
        Scoped s => Mentions(s.Value, name),
        BinderTerm q => q.Variables.All(v => v.Name != name) && Mentions(q.Body, name),
        _ => false,
    };

    private string PropApplication(Application app, Env env)
    {
        var head = app.Function is Identifier id ? id.Name : null;
        var args = app.Arguments;
        switch (head)
        {
            case "Nat.Prime" or "Prime" or "prime" when args.Count == 1:
                {
                    var n = Elab(args[0], env, _dialect == ProofLanguage.Coq && head == "prime" ? Ty.Int : Ty.Nat);
                    if (n.Value is { } value)
                    {
                        return IsPrime(value) ? "true" : "false";
                    }

                    throw new UntranslatableException($"{head} of a non-constant", app.Span);
                }

            case "Even" or "Odd" or "Nat.Even" or "Nat.Odd" or "Z.Even" or "Z.Odd" or "Nat.even" or "Nat.odd" when args.Count == 1:
                {
                    var n = Elab(args[0], env, null);
                    if (!n.Type.IsIntegral)
                    {
                        throw new UntranslatableException($"{head} over {n.Type}", app.Span);
                    }

                    var rest = head.EndsWith("ven", StringComparison.Ordinal) ? 0 : 1;
                    return $"(= (mod {n.Smt} 2) {rest})";
                }

            case "IsLeast" or "IsGreatest" when args.Count == 2 && args[0] is SetBuilder set:
                {
                    // IsLeast S v  ≡  v ∈ S ∧ ∀ x ∈ S, v ≤ x
                    var member = Member(args[1], set, env, app.Span);
                    var ty = set.Variable.Type is { } t ? ElabType(t, env) : InferBinderType(set.Variable.Name, set.Predicate, set.Variable, env, set.Span);
                    var value = Elab(args[1], env, ty);
                    var x = FreshBound(Sanitize(set.Variable.Name));
                    var inner = env.With(set.Variable.Name, new Binding(x, ty, null, true));
                    var predicate = Prop(set.Predicate, inner);
                    var guard = ty.Kind == TyKind.Nat ? $"(>= {x} 0) " : string.Empty;
                    var order = head == "IsLeast" ? $"(<= {value.Smt} {x})" : $"(>= {value.Smt} {x})";
                    return $"(and {member} (forall (({x} {ty.Sort})) (=> (and {guard}{predicate}) {order})))";
                }

            case "Nat.Coprime" or "Nat.coprime" when args.Count == 2:
                {
                    var a = Elab(args[0], env, Ty.Nat);
                    var b = Elab(args[1], env, Ty.Nat);
                    if (a.Value is { } x && b.Value is { } y)
                    {
                        return BigInteger.GreatestCommonDivisor(x, y).IsOne ? "true" : "false";
                    }

                    throw new UntranslatableException("Nat.Coprime of non-constants", app.Span);
                }

            case not null when env.Names.TryGetValue(head, out var binding) && binding.Type is { Kind: TyKind.Fun, Result.Kind: TyKind.Prop }:
                return ApplyFunction(binding, args, env, app.Span).Smt;
            default:
                throw new UntranslatableException("proposition " + Describe(app), app.Span);
        }
    }

    private string Member(Term element, Term set, Env env, SourceSpan span)
    {
        switch (set)
        {
            case SetBuilder builder:
                {
                    var ty = builder.Variable.Type is { } t ? ElabType(t, env) : TryTreeType(element, env) ?? InferBinderType(builder.Variable.Name, builder.Predicate, builder.Variable, env, builder.Span);
                    var value = Elab(element, env, ty);
                    var inner = env.With(builder.Variable.Name, new Binding(value.Smt, ty, value, env.HasBound));
                    return Prop(builder.Predicate, inner);
                }

            case Application { Function: Identifier { Name: var name }, Arguments: var args } when args.Count == 2 && name is "Set.Icc" or "Set.Ico" or "Set.Ioc" or "Set.Ioo" or "Finset.Icc" or "Finset.Ico" or "Finset.Ioc" or "Finset.Ioo":
                {
                    var ty = TreeType([element, args[0], args[1]], env, null, span);
                    var x = Emit(element, env, ty);
                    var lo = Emit(args[0], env, ty);
                    var hi = Emit(args[1], env, ty);
                    var kind = name[^3..];
                    var lower = kind[1] == 'c' ? "<=" : "<";
                    var upper = kind[2] == 'c' ? "<=" : "<";
                    return $"(and ({lower} {lo.Smt} {x.Smt}) ({upper} {x.Smt} {hi.Smt}))";
                }

            case Application { Function: Identifier { Name: "Finset.range" }, Arguments: [var bound] }:
                {
                    var x = Elab(element, env, Ty.Nat);
                    var n = Elab(bound, env, Ty.Nat);
                    return $"(< {x.Smt} {n.Smt})";
                }

            case Collection { Kind: CollectionKind.Set, Elements: var elements }:
                {
                    if (elements.Count == 0)
                    {
                        return "false";
                    }

                    var ty = TreeType([element, .. elements], env, null, span);
                    var x = Emit(element, env, ty);
                    return Or(elements.Select(e => $"(= {x.Smt} {Emit(e, env, ty).Smt})").ToList());
                }

            default:
                throw new UntranslatableException("membership in " + Describe(set), set.Span);
        }
    }
}
