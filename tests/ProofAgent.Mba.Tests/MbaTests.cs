using ProofAgent.Grammars.Mba;
using ProofAgent.Mba;
using ProofAgent.Provers;

namespace ProofAgent.Mba.Tests;

public sealed class MbaTests
{
    private static MbaExpr P(string text) => MbaParsing.Parse(text);

    [Fact]
    public void Should_follow_C_precedence()
    {
        Assert.Equal("x ^ y + z", P("x ^ y + z").ToString());
        var xor = Assert.IsType<MbaBinary>(P("x ^ y + z"));
        Assert.Equal(MbaBinaryOp.Xor, xor.Op);
        Assert.Equal(MbaBinaryOp.Add, Assert.IsType<MbaBinary>(xor.Right).Op);
        Assert.Equal(MbaBinaryOp.Or, Assert.IsType<MbaBinary>(P("x | y & z")).Op);
        Assert.Equal(MbaBinaryOp.Xor, Assert.IsType<MbaBinary>(P("x & y ^ z")).Op);
        Assert.Equal(MbaBinaryOp.And, Assert.IsType<MbaBinary>(P("x + y & z")).Op);
        Assert.Equal(MbaBinaryOp.Add, Assert.IsType<MbaBinary>(P("x * y + z")).Op);
        var neg = Assert.IsType<MbaBinary>(P("-x * y"));
        Assert.Equal(MbaBinaryOp.Mul, neg.Op);
        Assert.IsType<MbaUnary>(neg.Left);
        Assert.Equal("x - (y - z)", P("x - (y - z)").ToString());
        Assert.Equal("x - y - z", P("(x - y) - z").ToString());
    }

    [Fact]
    public void Should_report_line_column_and_expected_tokens()
    {
        var error = Assert.Throws<MbaSyntaxException>(() => P("x +\n  * y"));
        Assert.Equal(2, error.Line);
        Assert.Equal(3, error.Column);
        Assert.Contains("expected", error.Message, StringComparison.Ordinal);
        Assert.Contains("a variable", error.Message, StringComparison.Ordinal);
        var bad = Assert.Throws<MbaSyntaxException>(() => P("x $ y"));
        Assert.Equal(3, bad.Column);
        Assert.Throws<MbaSyntaxException>(() => P("(x + y"));
        Assert.Throws<MbaSyntaxException>(() => P(""));
    }

    [Fact]
    public void Should_reject_100000_nested_parentheses_without_overflowing_the_stack()
    {
        var deep = new string('(', 100_000) + "x" + new string(')', 100_000);
        var error = Assert.Throws<MbaSyntaxException>(() => P(deep));
        Assert.Contains("nests too deeply", error.Message, StringComparison.Ordinal);
        var unary = new string('~', 100_000) + "x";
        Assert.Throws<MbaSyntaxException>(() => P(unary));
        var chain = string.Join(" + ", Enumerable.Repeat("x", 100_000));
        Assert.Contains("deeper than", Assert.Throws<MbaSyntaxException>(() => P(chain)).Message, StringComparison.Ordinal);

        // Just under the caps parses fine.
        var ok = new string('(', 200) + "x" + new string(')', 200);
        Assert.IsType<MbaVar>(P(ok));
    }

    [Fact]
    public void Should_round_trip_printed_expressions()
    {
        foreach (var text in new[] { "~x & -y | 3 * (x ^ y)", "-(x + y) * ~(z - 1)", "x ^ (y | z) & 0x1f", "- -x" })
        {
            var expr = P(text);
            Assert.Equal(expr.ToString(), P(expr.ToString()).ToString());
        }
    }

    [Fact]
    public async Task Should_decide_linear_identities_by_truth_table_with_counterexamples()
    {
        var verifier = new MbaVerifier(null);
        var identity = await verifier.VerifyAsync(P("x + y"), P("(x ^ y) + 2 * (x & y)"), 16);
        Assert.Equal(new MbaVerdict.Identity(MbaMethod.TruthTable), identity);
        var wrong = Assert.IsType<MbaVerdict.Counterexample>(await verifier.VerifyAsync(P("x + y"), P("(x ^ y) + (x & y)"), 16));
        Assert.NotEqual(wrong.Lhs, wrong.Rhs);
        Assert.Equal(MbaMethod.TruthTable, wrong.By);
        Assert.Equal(MbaClass.Nonlinear, MbaLinearity.Classify(P("x * y"), 8));
        Assert.Equal(MbaClass.Nonlinear, MbaLinearity.Classify(P("x & 5"), 8));
        Assert.Equal(MbaClass.Linear, MbaLinearity.Classify(P("3 * (x & ~y) - ~(x | y) + 7"), 8));
    }

    [Fact]
    public void Should_simplify_linear_mba_to_the_simple_form()
    {
        Assert.Equal("x + y", MbaSimplifier.Simplify(P("(x ^ y) + 2 * (x & y)"), 8)!.ToString());
        Assert.Equal("x ^ y", MbaSimplifier.Simplify(P("(x | y) - (x & y)"), 8)!.ToString());
        Assert.Equal("x & y", MbaSimplifier.Simplify(P("x + y - (x | y)"), 32)!.ToString());
        Assert.Null(MbaSimplifier.Simplify(P("x * y"), 8));
        var generator = new MbaGenerator(MbaGeneratorOptions.Default.WithDepth(3).WithSeed(7));
        foreach (var identity in generator.Generate(50))
        {
            var simplified = MbaSimplifier.Simplify(identity.Obfuscated, identity.Bits)!;
            Assert.True(simplified.ToString().Length <= (2 * identity.Simple.ToString().Length) + 10, $"{identity.Obfuscated} -> {simplified} (expected about {identity.Simple})");
        }
    }

    [RequiresToolsFact("z3")]
    public async Task Should_confirm_generated_identities_with_z3_and_refute_mutations()
    {
        var z3 = new MbaVerifier(Tools.Z3(), MbaVerifyOptions.Default.WithStrategy(MbaStrategy.SmtOnly) with { SmtTimeout = TimeSpan.FromSeconds(10) });
        foreach (var bits in new[] { 8, 16 })
        {
            var linear = new MbaGenerator(MbaGeneratorOptions.Default.WithBits(bits).WithSeed(bits).WithDepth(2)).Generate(10).ToList();
            var poly = new MbaGenerator(MbaGeneratorOptions.Default.WithBits(bits).WithSeed(bits + 1).WithPolynomial(true)).Generate(3).ToList();
            foreach (var identity in linear.Concat(poly))
            {
                var verdict = await z3.VerifyAsync(identity.Obfuscated, identity.Simple, bits);
                // z3 4.8.12 times out on some 16-bit linear MBA (the reason the truth-table method exists); it must never refute.
                Assert.True(verdict is MbaVerdict.Identity || (bits == 16 && verdict is MbaVerdict.Unknown), $"{verdict} for {identity.Obfuscated} == {identity.Simple}");
                var mutated = new MbaBinary(MbaBinaryOp.Add, identity.Simple, new MbaBinary(MbaBinaryOp.And, new MbaVar("x"), new MbaConst(1)));
                var refuted = Assert.IsType<MbaVerdict.Counterexample>(await z3.VerifyAsync(identity.Obfuscated, mutated, bits));
                Assert.NotEqual(refuted.Lhs, refuted.Rhs);
            }

            foreach (var identity in linear)
            {
                Assert.Equal(new MbaVerdict.Identity(MbaMethod.TruthTable), await new MbaVerifier(null).VerifyAsync(identity.Obfuscated, identity.Simple, bits));
            }
        }
    }

    [RequiresToolsFact("coqc")]
    public async Task Should_emit_coq_proofs_that_coqc_accepts()
    {
        var lhs = P("(x ^ y) + 2 * (x & y)");
        var rhs = P("x + y");
        var problem = MbaProblems.Build("carry", lhs, rhs, 8, new MbaVerdict.Identity(MbaMethod.TruthTable));
        Assert.NotNull(problem.CoqProof);
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "mba_carry.v"), problem.CoqProof);
        var result = await Tools.CheckCoqAsync(problem.CoqProof!);
        Assert.True(result.Verdict is Verdict.Proved, result.Verdict.Summary);
        Assert.Contains("BitVec 8", problem.Lean, StringComparison.Ordinal);

        // A false identity's "proof" must be rejected by Coq.
        var wrong = MbaProblems.CoqExhaustiveProof("bad", lhs, P("x | y"), 4, ["x", "y"]);
        var rejected = await Tools.CheckCoqAsync(wrong);
        Assert.False(rejected.Verdict is Verdict.Proved);
    }
}
