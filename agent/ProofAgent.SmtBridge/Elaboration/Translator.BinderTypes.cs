namespace ProofAgent.SmtBridge.Elaboration;

/// <summary>The types of bound variables that carry none: inferred from their uses, as the prover would.</summary>
internal sealed partial class Translator
{
    private Ty InferBinderType(string name, Term body, BoundVariable variable, Env env, SourceSpan span)
    {
        if (_language.Arithmetic.Typing == ArithmeticTyping.Strict)
        {
            return DirectUseBinderType(name, body, variable, env, span);
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
            if (_language.Arithmetic.Typing == ArithmeticTyping.NumeralScopes)
            {
                return ScopeType(env.Scope ?? DefaultScope, span);
            }

            throw new UntranslatableException($"cannot infer the type of bound variable {name}", span);
        }

        return candidates[0];
    }

    /// <summary>
    /// An untyped bound variable under strict typing (Isabelle): typed only by direct uses, as an argument of a declared function or as one
    /// side of a comparison (or restriction) whose other side has typed leaves. All uses must agree.
    /// </summary>
    private Ty DirectUseBinderType(string name, Term body, BoundVariable variable, Env env, SourceSpan span)
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
}
