using System.Diagnostics;
using ProofAgent.Grammars.Mba;
using ProofAgent.Mba;
using ProofAgent.Provers.Smt;

namespace ProofAgent.Mba.Tests;

/// <summary>A long-lived solver process answering many queries (real z3 and cvc5; skipped with a reason when absent).</summary>
public sealed class SmtSessionTests
{
    private static MbaExpr P(string text) => MbaParsing.Parse(text);

    [RequiresToolsFact("z3")]
    public async Task Should_answer_hundreds_of_queries_with_one_z3_process()
    {
        await using var z3 = Tools.Z3Session();
        for (var i = 0; i < 200; i++)
        {
            // The same names in every query: each runs in its own (push)/(pop) scope.
            var target = i % 2 == 0 ? "#x03" : "#x04";
            var answer = await z3.CheckSatAsync(new SmtQuery($"(set-logic QF_BV)\n(declare-const x (_ BitVec 8))\n(assert (= (bvadd x x) {target}))\n"));
            if (i % 2 == 0)
            {
                Assert.IsType<SmtAnswer.Unsat>(answer);
            }
            else
            {
                var model = Assert.IsType<SmtAnswer.Sat>(answer).Model;
                Assert.NotNull(model);
                Assert.True(model!.Values.TryGetValue("x", out var x) && x is "#x02" or "#x82", model.ToString());
            }
        }

        Assert.Equal(1, z3.ProcessesStarted);
    }

    [RequiresToolsFact("z3")]
    public async Task Should_keep_answering_after_an_error_and_a_timeout()
    {
        await using var z3 = Tools.Z3Session();
        var error = await z3.CheckSatAsync(new SmtQuery("(assert (= undeclared 1))\n"));
        Assert.IsType<SmtAnswer.Error>(error);

        // A 16-bit MBA identity asked whole, with 50 ms: z3's own timeout answers, and the session goes on.
        var (declarations, formula) = MbaVerifier.SmtQuestion(
            P("-(2*(x|x&y)) + 4*~y + 2*(x|~x) - 2*(y^(x|y)) - 4*~(x|y) - 2*~(x&y) + 3*(x&(x&y))"), P("3*(x&y)"), 16);
        var slow = await z3.CheckSatAsync(new SmtQuery($"{declarations}\n(assert (not {formula}))\n") { Timeout = TimeSpan.FromMilliseconds(50) });
        Assert.True(slow is SmtAnswer.Timeout or SmtAnswer.Unknown, slow.ToString());
        var after = await z3.CheckSatAsync(new SmtQuery("(declare-const b Bool)\n(assert (and b (not b)))\n"));
        Assert.IsType<SmtAnswer.Unsat>(after);
    }

    [RequiresToolsFact("z3")]
    public async Task Should_stop_a_query_at_its_hard_timeout_and_go_on()
    {
        // No grace beyond the soft timeout: either z3's own timeout answers or the process tree is killed (and a new
        // process serves the next query); either way the query ends at its limit.
        await using var z3 = Tools.Z3Session(SmtSessionOptions.Default with { HardTimeoutGrace = TimeSpan.Zero });
        var (declarations, formula) = MbaVerifier.SmtQuestion(
            P("-(2*(x|x&y)) + 4*~y + 2*(x|~x) - 2*(y^(x|y)) - 4*~(x|y) - 2*~(x&y) + 3*(x&(x&y))"), P("3*(x&y)"), 32);
        var sw = Stopwatch.StartNew();
        var slow = await z3.CheckSatAsync(new SmtQuery($"{declarations}\n(assert (not {formula}))\n") { Timeout = TimeSpan.FromMilliseconds(300) });
        Assert.True(slow is SmtAnswer.Timeout or SmtAnswer.Unknown, slow.ToString());
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
        Assert.IsType<SmtAnswer.Unsat>(await z3.CheckSatAsync(new SmtQuery("(declare-const b Bool)\n(assert (and b (not b)))\n")));
        Assert.InRange(z3.ProcessesStarted, 1, 2);
    }

    [RequiresToolsFact("z3")]
    public async Task Should_confirm_a_thousand_identities_at_8_and_16_bits_with_lemma_assisted_z3()
    {
        await using var z3 = Tools.Z3Session();
        foreach (var bits in new[] { 8, 16 })
        {
            var verifier = new MbaVerifier(z3, MbaVerifyOptions.Default.WithStrategy(MbaStrategy.SmtLemmas));
            var identities = new MbaGenerator(MbaGeneratorOptions.Default.WithBits(bits).WithDepth(2).WithSeed(bits)).Generate(1000).ToList();
            foreach (var identity in identities)
            {
                var verdict = await verifier.VerifyAsync(identity.Obfuscated, identity.Simple, bits);
                Assert.True(verdict is MbaVerdict.Identity { By: MbaMethod.SmtLemmas }, $"{verdict} for {identity.Obfuscated} == {identity.Simple}");
            }

            // One final query per identity, plus each distinct lemma once.
            Assert.Equal(identities.Count + verifier.ProvenLemmas, verifier.SolverQueries);

            foreach (var identity in identities.Take(40))
            {
                var mutated = new MbaBinary(MbaBinaryOp.Add, identity.Simple, new MbaBinary(MbaBinaryOp.Mul, new MbaConst(3), new MbaBinary(MbaBinaryOp.Or, new MbaVar("x"), new MbaVar("y"))));
                var refuted = Assert.IsType<MbaVerdict.Counterexample>(await verifier.VerifyAsync(identity.Obfuscated, mutated, bits));
                Assert.Equal(MbaMethod.SmtLemmas, refuted.By);
                var variables = MbaWords.Variables(identity.Obfuscated, mutated);
                var values = variables.Select(v => refuted.Assignment[v]).ToArray();
                Assert.NotEqual(new MbaEvaluator(identity.Obfuscated, bits, variables).Evaluate(values), new MbaEvaluator(mutated, bits, variables).Evaluate(values));
            }
        }

        Assert.Equal(1, z3.ProcessesStarted);
    }

    [RequiresToolsFact("cvc5")]
    public async Task Should_answer_queries_with_one_cvc5_process()
    {
        await using var cvc5 = Tools.Cvc5Session();
        for (var i = 0; i < 20; i++)
        {
            var answer = await cvc5.CheckSatAsync(new SmtQuery($"(set-logic QF_BV)\n(declare-const x (_ BitVec 8))\n(assert (= (bvadd x x) {(i % 2 == 0 ? "#x03" : "#x04")}))\n"));
            Assert.True(i % 2 == 0 ? answer is SmtAnswer.Unsat : answer is SmtAnswer.Sat { Model: not null }, answer.ToString());
        }

        Assert.Equal(1, cvc5.ProcessesStarted);
    }

    [Fact]
    public async Task Should_split_linear_identities_into_lemmas_that_the_truth_table_confirms()
    {
        var table = new MbaVerifier(null, MbaVerifyOptions.Default.WithStrategy(MbaStrategy.TruthTableOnly));
        Assert.Equal(new MbaVerdict.Identity(MbaMethod.TruthTable), await table.VerifyAsync(MbaLemmas.BasisForm(P("x | y"), 8, ["x", "y"]), P("x + y - (x & y)"), 8));
        foreach (var identity in new MbaGenerator(MbaGeneratorOptions.Default.WithBits(16).WithDepth(3).WithSeed(5)).Generate(100))
        {
            var question = MbaLemmas.Build(identity.Obfuscated, identity.Simple, 16)!;
            foreach (var lemma in question.Lemmas)
            {
                Assert.Equal(MbaClass.Bitwise, MbaLinearity.Classify(lemma.Atom, 16));
                Assert.IsType<MbaVerdict.Identity>(await table.VerifyAsync(lemma.Atom, lemma.BasisForm, 16));
            }

            // The rewritten identity only has variable conjunctions left under bitwise operators.
            Assert.IsType<MbaVerdict.Identity>(await table.VerifyAsync(question.Lhs, question.Rhs, 16));
            Assert.DoesNotContain("|", question.Lhs.ToString() + question.Rhs.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("^", question.Lhs.ToString() + question.Rhs.ToString(), StringComparison.Ordinal);
        }

        Assert.Null(MbaLemmas.Build(P("x * y"), P("y * x"), 8));
    }
}
