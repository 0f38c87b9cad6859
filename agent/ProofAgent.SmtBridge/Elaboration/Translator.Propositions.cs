namespace ProofAgent.SmtBridge.Elaboration;

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

    /// <summary>A predicate of the language's table, else a declared function to Prop.</summary>
    private string PropApplication(Application app, Env env)
    {
        var head = app.Function is Identifier id ? id.Name : null;
        if (head is not null && _language.Library.Predicate(head) is { } rule && rule.Arity == app.Arguments.Count)
        {
            return rule.Translate(this, new FunctionCall(head, app.Arguments, env, Ty.Prop, app.Span));
        }

        if (head is not null && env.Names.TryGetValue(head, out var binding) && binding.Type is { Kind: TyKind.Fun, Result.Kind: TyKind.Prop })
        {
            return ApplyFunction(binding, app.Arguments, env, app.Span).Smt;
        }

        throw new UntranslatableException("proposition " + Describe(app), app.Span);
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
