namespace ProofAgent.GenerativeLogic;

/// <summary>The verdict of the independent checker on one theorem.</summary>
public sealed record CheckOutcome(string Theorem, bool Valid, string? Error);

/// <summary>
/// Independent replay of proof objects. It shares no code with the prover: it only instantiates rules with the recorded
/// substitutions and compares facts syntactically. Rules are the anchor's axioms (from <see cref="Theory"/>), earlier
/// theorems (the dependency graph must be acyclic: a theorem may only use theorems listed before it), and, in an
/// induction step, the induction hypothesis.
/// </summary>
public static class ProofChecker
{
    public static IReadOnlyList<CheckOutcome> CheckAll(Theory theory, IReadOnlyList<ProvedTheorem> theorems)
    {
        var earlier = new Dictionary<string, Statement>(StringComparer.Ordinal);
        var result = new List<CheckOutcome>();
        foreach (var t in theorems)
        {
            string? error;
            try
            {
                error = Check(theory, t, earlier);
            }
            catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or ArgumentException or IndexOutOfRangeException)
            {
                error = e.Message;
            }

            result.Add(new CheckOutcome(t.Name, error is null, error));
            if (!earlier.TryAdd(t.Name, t.Statement))
            {
                result[^1] = new CheckOutcome(t.Name, false, "duplicate theorem name");
            }
        }

        return result;
    }

    private static string? Check(Theory theory, ProvedTheorem t, IReadOnlyDictionary<string, Statement> earlier)
    {
        var s = t.Statement;
        foreach (var name in s.Vars)
        {
            if (theory.Constants.Contains(name))
            {
                return $"variable {name} is also an anchor constant";
            }
        }

        switch (t.Proof)
        {
            case TheoremProof.Direct d:
                return Block("direct", theory, earlier, null, s.Vars, [.. s.Premises.Select((p, i) => (p, $"premise {i + 1}"))], s.Conclusion, d.Block);
            case TheoremProof.Induction ind:
                if (theory.Induction is not { } principle)
                {
                    return "induction used but the anchor states no induction principle";
                }

                if (!s.Vars.Contains(ind.Var) || s.Vars.Contains(ind.N) || s.Vars.Contains(ind.M) || ind.N == ind.M
                    || theory.Constants.Contains(ind.N) || theory.Constants.Contains(ind.M))
                {
                    return "bad induction variables";
                }

                var (nSet, zero, succ) = (principle.Args[0], principle.Args[1], principle.Args[2]);
                var others = s.Vars.Where(v => v != ind.Var).ToList();
                Pattern Sub(Pattern p, string to) => new(p.Rel, [.. p.Args.Select(a => a == ind.Var ? to : a)]);
                return Block("typing", theory, earlier, null, s.Vars, [.. s.Premises.Select((p, i) => (p, $"premise {i + 1}"))], new Pattern("in", [ind.Var, nSet]), ind.Typing)
                    ?? Block("base", theory, earlier, null, others, [.. s.Premises.Select((p, i) => (Sub(p, zero), $"premise {i + 1}"))], Sub(s.Conclusion, zero), ind.Base)
                    ?? Block(
                        "step",
                        theory,
                        earlier,
                        new Rule("ih", others, [.. s.Premises.Select(p => Sub(p, ind.N))], new RuleConclusion.Atom(Sub(s.Conclusion, ind.N))),
                        [.. others, ind.N, ind.M],
                        [(new Pattern("in", [ind.N, nSet]), "induction: n in N"), (new Pattern("in2", [ind.N, ind.M, succ]), "induction: s(n) = m"), .. s.Premises.Select((p, i) => (Sub(p, ind.M), $"premise {i + 1}"))],
                        Sub(s.Conclusion, ind.M),
                        ind.Step);
            default:
                return "unknown proof kind";
        }
    }

    private static string? Block(
        string where,
        Theory theory,
        IReadOnlyDictionary<string, Statement> earlier,
        Rule? ih,
        IReadOnlyList<string> vars,
        IReadOnlyList<(Pattern Fact, string Label)> hypotheses,
        Pattern goal,
        ProofBlock block)
    {
        var elements = new HashSet<string>(theory.Constants, StringComparer.Ordinal);
        foreach (var v in vars)
        {
            if (!elements.Add(v))
            {
                return $"{where}: element {v} declared twice";
            }
        }

        var facts = new Dictionary<int, Pattern>();
        string? Fail(ProofStep step, string message) => $"{where}, step {step.Id}: {message}";
        foreach (var step in block.Steps)
        {
            if (facts.ContainsKey(step.Id))
            {
                return Fail(step, "fact id used twice");
            }

            switch (step)
            {
                case ProofStep.Hypothesis h:
                    var allowed = h.Label == "anchor" ? theory.Facts.Contains(h.Fact) : hypotheses.Any(x => x.Label == h.Label && x.Fact.Equals(h.Fact));
                    if (!allowed)
                    {
                        return Fail(step, $"{h.Fact} is not the hypothesis '{h.Label}'");
                    }

                    facts[h.Id] = h.Fact;
                    break;
                case ProofStep.Reflexivity r:
                    if (!elements.Contains(r.Element) || !r.Fact.Equals(new Pattern("=", [r.Element, r.Element])))
                    {
                        return Fail(step, "bad reflexivity");
                    }

                    facts[r.Id] = r.Fact;
                    break;
                case ProofStep.Symmetry sy:
                    if (!facts.TryGetValue(sy.Equality, out var eq) || eq.Rel != "=" || !sy.Fact.Equals(new Pattern("=", [eq.Args[1], eq.Args[0]])))
                    {
                        return Fail(step, "bad symmetry");
                    }

                    facts[sy.Id] = sy.Fact;
                    break;
                case ProofStep.Rewrite rw:
                    if (!facts.TryGetValue(rw.Source, out var src) || !facts.TryGetValue(rw.Equality, out var e2) || e2.Rel != "=" || rw.Positions.Count == 0)
                    {
                        return Fail(step, "rewrite premises missing");
                    }

                    var args = src.Args.ToArray();
                    foreach (var p in rw.Positions)
                    {
                        if (p < 0 || p >= args.Length || args[p] != e2.Args[0])
                        {
                            return Fail(step, $"position {p} of {src} is not {e2.Args[0]}");
                        }

                        args[p] = e2.Args[1];
                    }

                    if (!rw.Fact.Equals(new Pattern(src.Rel, args)))
                    {
                        return Fail(step, "rewrite result differs");
                    }

                    facts[rw.Id] = rw.Fact;
                    break;
                case ProofStep.Apply a:
                    {
                        var rule = Lookup(a.Rule, theory, earlier, ih);
                        if (rule is null)
                        {
                            return Fail(step, $"unknown rule {a.Rule}");
                        }

                        var error = Premises(rule, a.Substitution, a.Premises, facts, elements, out var map);
                        if (error is not null)
                        {
                            return Fail(step, error);
                        }

                        var expected = rule.Conclusion switch
                        {
                            RuleConclusion.Atom at => Instantiate(at.Fact, map),
                            RuleConclusion.Contradiction => new Pattern("False", []),
                            _ => null,
                        };
                        if (expected is null || !expected.Equals(a.Fact))
                        {
                            return Fail(step, $"conclusion {a.Fact} is not {expected}");
                        }

                        facts[a.Id] = a.Fact;
                        break;
                    }

                case ProofStep.Witness w:
                    {
                        var rule = Lookup(w.Rule, theory, earlier, ih);
                        if (rule?.Conclusion is not RuleConclusion.Exists ex || ex.Vars.Count != w.Witnesses.Count || ex.Facts.Count != w.Facts.Count)
                        {
                            return Fail(step, $"{w.Rule} is no existential rule of this shape");
                        }

                        var error = Premises(rule, w.Substitution, w.Premises, facts, elements, out var map);
                        if (error is not null)
                        {
                            return Fail(step, error);
                        }

                        for (var i = 0; i < ex.Vars.Count; i++)
                        {
                            if (!elements.Add(w.Witnesses[i]))
                            {
                                return Fail(step, $"witness {w.Witnesses[i]} is not fresh");
                            }

                            map[ex.Vars[i]] = w.Witnesses[i];
                        }

                        for (var i = 0; i < ex.Facts.Count; i++)
                        {
                            if (!Instantiate(ex.Facts[i], map).Equals(w.Facts[i]) || facts.ContainsKey(w.Id + i))
                            {
                                return Fail(step, $"witness fact {w.Facts[i]} differs");
                            }

                            facts[w.Id + i] = w.Facts[i];
                        }

                        break;
                    }

                default:
                    return Fail(step, "unknown step");
            }
        }

        if (!facts.TryGetValue(block.Closing, out var closing))
        {
            return $"{where}: the closing fact {block.Closing} is not derived";
        }

        return closing.Equals(goal) || closing.Equals(new Pattern("False", [])) ? null : $"{where}: the block ends with {closing}, not the goal {goal}";
    }

    private static Rule? Lookup(string reference, Theory theory, IReadOnlyDictionary<string, Statement> earlier, Rule? ih)
    {
        if (reference == RuleRefs.InductionHypothesis)
        {
            return ih;
        }

        if (reference.StartsWith("axiom:", StringComparison.Ordinal))
        {
            var name = reference["axiom:".Length..];
            return theory.Axioms.FirstOrDefault(a => a.Name == name);
        }

        if (reference.StartsWith("theorem:", StringComparison.Ordinal))
        {
            var name = reference["theorem:".Length..];
            return earlier.TryGetValue(name, out var st) ? st.AsRule(name) : null;
        }

        return null;
    }

    private static string? Premises(Rule rule, IReadOnlyList<string> substitution, IReadOnlyList<int> premises, Dictionary<int, Pattern> facts, HashSet<string> elements, out Dictionary<string, string> map)
    {
        map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (substitution.Count != rule.Vars.Count || premises.Count != rule.Premises.Count)
        {
            return "substitution or premises do not fit the rule";
        }

        for (var i = 0; i < rule.Vars.Count; i++)
        {
            if (!elements.Contains(substitution[i]))
            {
                return $"unknown element {substitution[i]}";
            }

            map[rule.Vars[i]] = substitution[i];
        }

        for (var i = 0; i < premises.Count; i++)
        {
            if (!facts.TryGetValue(premises[i], out var f) || !Instantiate(rule.Premises[i], map).Equals(f))
            {
                return $"premise {i + 1} is not {Instantiate(rule.Premises[i], map)}";
            }
        }

        return null;
    }

    private static Pattern Instantiate(Pattern p, Dictionary<string, string> map) => new(p.Rel, [.. p.Args.Select(a => map.TryGetValue(a, out var v) ? v : a)]);
}
