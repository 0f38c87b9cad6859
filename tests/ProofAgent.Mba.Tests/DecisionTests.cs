using ProofAgent.Grammars.Mba;
using ProofAgent.Provers;
using ProofAgent.Provers.Smt;

namespace ProofAgent.Mba.Tests;

/// <summary>The complete and the sound methods behind <c>agent mba verify</c>: exhaustive evaluation, the normal form, and the bounded solver.</summary>
public sealed class DecisionTests
{
    private static MbaExpr P(string text) => MbaParsing.Parse(text);

    /// <summary>The first point (variable j in bits j·n..) where the sides differ, by plain scalar evaluation.</summary>
    private static ulong[]? NaiveFirstDifference(MbaExpr lhs, MbaExpr rhs, IReadOnlyList<string> variables, int bits)
    {
        var (left, right) = (new MbaEvaluator(lhs, bits, variables), new MbaEvaluator(rhs, bits, variables));
        var mask = MbaWords.Mask(bits);
        var values = new ulong[variables.Count];
        for (ulong point = 0; point < 1UL << (variables.Count * bits); point++)
        {
            for (var j = 0; j < values.Length; j++)
            {
                values[j] = (point >> (j * bits)) & mask;
            }

            if (left.Evaluate(values) != right.Evaluate(values))
            {
                return values;
            }
        }

        return null;
    }

    /// <summary>A random expression over the variables: every operator, small and wide constants.</summary>
    private static MbaExpr RandomExpr(Random random, string[] variables, int depth)
    {
        if (depth == 0 || random.Next(4) == 0)
        {
            return random.Next(5) == 0 ? new MbaConst(random.Next(0, 300)) : new MbaVar(variables[random.Next(variables.Length)]);
        }

        return random.Next(8) switch
        {
            0 => new MbaUnary(MbaUnaryOp.Not, RandomExpr(random, variables, depth - 1)),
            1 => new MbaUnary(MbaUnaryOp.Neg, RandomExpr(random, variables, depth - 1)),
            var op => new MbaBinary((MbaBinaryOp)(op - 2), RandomExpr(random, variables, depth - 1), RandomExpr(random, variables, depth - 1)),
        };
    }

    [Theory]
    [InlineData(4, 3)] // byte lanes, vector blocks
    [InlineData(8, 2)]
    [InlineData(3, 1)] // fewer points than one block: scalar
    [InlineData(10, 2)] // 16-bit lanes
    [InlineData(17, 1)] // 32-bit lanes
    public void Exhaustive_evaluation_finds_the_first_difference_a_scalar_loop_finds(int bits, int count)
    {
        var variables = new[] { "x", "y", "z" }[..count];
        var random = new Random(bits * 10 + count);
        for (var i = 0; i < 25; i++)
        {
            var lhs = RandomExpr(random, variables, 4);
            // Half the questions are identities (the same function spelled another way), half are not.
            var rhs = i % 2 == 0 ? new MbaBinary(MbaBinaryOp.Sub, new MbaUnary(MbaUnaryOp.Not, new MbaUnary(MbaUnaryOp.Not, lhs)), new MbaConst(0)) : RandomExpr(random, variables, 4);
            Assert.Equal(NaiveFirstDifference(lhs, rhs, variables, bits), MbaExhaustive.FindDifference(lhs, rhs, variables, bits, maxDegreeOfParallelism: 2));
        }
    }

    [Fact]
    public void Exhaustive_evaluation_finds_a_single_point_of_difference_deep_in_the_space()
    {
        // t is 0 only at x = 200, y = 13, z = 77; (t - 1) & ~t has its top bit set only when t = 0 (2^24 points at 8
        // bits, one of them a difference: no random search finds it).
        const string t = "((x ^ 200) | (y ^ 13) | (z ^ 77))";
        var lhs = P($"(({t} - 1) & ~{t}) & 128");

        Assert.Equal(new ulong[] { 200, 13, 77 }, MbaExhaustive.FindDifference(lhs, new MbaConst(0), ["x", "y", "z"], 8));
    }

    [Theory]
    [InlineData("(x & y) * (x | y) + (x & ~y) * (~x & y)", "x * y")]
    [InlineData("(x & y) * (x | y) + (x & ~y) * (~x & y) - 3 * (x ^ y) + 3 * (x | y) - 3 * (x & ~y)", "x * y - 3 * x + 6 * (x & y)")]
    [InlineData("((x ^ y) + 2 * (x & y) - y) * z + 5", "x * z + 5")] // a linear MBA equal to x inside a product
    [InlineData("(((x ^ y) + 2 * (x & y) - y) & z) * (((x ^ y) + 2 * (x & y) - y) | z) + (((x ^ y) + 2 * (x & y) - y) & ~z) * (~((x ^ y) + 2 * (x & y) - y) & z)", "x * z")]
    [InlineData("(x & ~(y - 1)) * (x | ~(y - 1)) + (x & ~~(y - 1)) * (~x & ~(y - 1))", "x * -y")] // ~~(y-1) is ~ of ~(y-1)
    [InlineData("(x + 1) * (x + 1) - x * x - 2 * x", "1")]
    [InlineData("~(x - 1)", "-x")]
    public void The_normal_form_proves_polynomial_and_nested_identities_at_every_width(string lhs, string rhs)
    {
        foreach (var bits in new[] { 8, 16, 32, 64 })
        {
            var difference = MbaNormalForm.Difference(P(lhs), P(rhs), bits);
            Assert.True(difference is { IsZero: true }, $"{bits} bits: {difference?.ToExpression()}");
        }
    }

    [Fact]
    public void The_normal_form_never_calls_a_non_identity_zero()
    {
        // Soundness on random questions: true rewritings (a = (a ^ w) + 2·(a & w) - w), false ones (without the 2) and
        // unrelated pairs. A zero difference must survive exhaustive evaluation at 4 bits and random points at 64.
        var random = new Random(2024);
        var variables = new[] { "x", "y", "z" };
        var zeros = 0;
        for (var i = 0; i < 300; i++)
        {
            var lhs = RandomExpr(random, variables, 4);
            var w = RandomExpr(random, variables, 3);
            var xor = new MbaBinary(MbaBinaryOp.Xor, lhs, w);
            var and = new MbaBinary(MbaBinaryOp.And, lhs, w);
            var rhs = (i % 3) switch
            {
                0 => new MbaBinary(MbaBinaryOp.Sub, new MbaBinary(MbaBinaryOp.Add, xor, new MbaBinary(MbaBinaryOp.Mul, new MbaConst(2), and)), w),
                1 => new MbaBinary(MbaBinaryOp.Sub, new MbaBinary(MbaBinaryOp.Add, xor, and), w),
                _ => RandomExpr(random, variables, 4),
            };
            foreach (var bits in new[] { 4, 64 })
            {
                if (MbaNormalForm.Difference(lhs, rhs, bits) is not { IsZero: true })
                {
                    Assert.False(i % 3 == 0, $"{bits} bits: a true rewriting not proved: {lhs} == {rhs}");
                    continue;
                }

                zeros++;
                if (bits == 4)
                {
                    Assert.Null(MbaExhaustive.FindDifference(lhs, rhs, variables, bits));
                    continue;
                }

                var (left, right) = (new MbaEvaluator(lhs, 64, variables), new MbaEvaluator(rhs, 64, variables));
                for (var k = 0; k < 200; k++)
                {
                    ulong[] values = [(ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64()];
                    Assert.True(left.Evaluate(values) == right.Evaluate(values), $"normal form says {lhs} == {rhs} at 64 bits");
                }
            }
        }

        Assert.True(zeros >= 200, $"only {zeros} zero differences");
    }

    [Fact]
    public void The_normal_form_difference_is_what_the_solver_is_asked_and_equals_the_question()
    {
        var (lhs, rhs) = (P("(x & y) * (x | y) + 128 * x * x"), P("x * y + 128 * x"));
        var difference = MbaNormalForm.Difference(lhs, rhs, 8)!;
        Assert.False(difference.IsZero);
        Assert.Null(MbaExhaustive.FindDifference(new MbaBinary(MbaBinaryOp.Sub, lhs, rhs), difference.ToExpression(), ["x", "y"], 8));
    }

    [Fact]
    public async Task Eight_bit_three_variable_identities_are_decided_by_evaluation_without_a_solver()
    {
        var verifier = new MbaVerifier(null);
        // x(x-1) is even, so 128·x(x-1)·y·z vanishes at 8 bits; the normal form cannot see that, evaluation can.
        Assert.Equal(new MbaVerdict.Identity(MbaMethod.Exhaustive), await verifier.VerifyAsync(P("x * (x - 1) * y * z * 128"), P("0"), 8));
        var wrong = Assert.IsType<MbaVerdict.Counterexample>(await verifier.VerifyAsync(P("x * (x - 1) * y * z * 64"), P("0"), 8));
        Assert.Equal(MbaMethod.Exhaustive, wrong.By);
        Assert.NotEqual(wrong.Lhs, wrong.Rhs);
        Assert.Equal(new MbaVerdict.Identity(MbaMethod.NormalForm), await verifier.VerifyAsync(P("(x & y) * (x | y) + (x & ~y) * (~x & y) + z"), P("x * y + z"), 64));
        Assert.IsType<MbaVerdict.Counterexample>(await verifier.VerifyAsync(P("x * (x - 1) * y * z * 128"), P("0"), 16));
        var beyond = Assert.IsType<MbaVerdict.Unknown>(await verifier.VerifyAsync(P("9223372036854775808 * x * (x - 1)"), P("0"), 64));
        Assert.Contains("no SMT solver", beyond.Reason, StringComparison.Ordinal);

        var exhaustiveOnly = new MbaVerifier(null, MbaVerifyOptions.Default.WithStrategy(MbaStrategy.ExhaustiveOnly));
        Assert.Equal(new MbaVerdict.Identity(MbaMethod.Exhaustive), await exhaustiveOnly.VerifyAsync(P("(x & y) * (x | y) + (x & ~y) * (~x & y) + z"), P("x * y + z"), 8));
        Assert.Contains("2^24 points", Assert.IsType<MbaVerdict.Unknown>(await exhaustiveOnly.VerifyAsync(P("x * y + z"), P("y * x + z"), 16)).Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_solver_that_never_answers_is_stopped_at_the_wall_clock_limit_and_the_next_question_is_answered()
    {
        var silent = new SilentSolver();
        var verifier = new MbaVerifier(silent, MbaVerifyOptions.Default with { SmtTimeout = TimeSpan.FromMilliseconds(200), SmtGrace = TimeSpan.FromMilliseconds(300) });

        // True at 64 bits (x(x-1) is even) but beyond the normal form and evaluation: only the solver can answer.
        var stuck = await verifier.VerifyAsync(P("9223372036854775808 * x * (x - 1)"), P("0"), 64);

        var unknown = Assert.IsType<MbaVerdict.Unknown>(stuck);
        Assert.Contains("wall clock", unknown.Reason, StringComparison.Ordinal);
        Assert.Equal(1, silent.Cancelled);
        Assert.Equal(new MbaVerdict.Identity(MbaMethod.TruthTable), await verifier.VerifyAsync(P("x + y"), P("(x ^ y) + 2 * (x & y)"), 64));
    }

    [RequiresToolsFact("z3", Timeout = 120_000)]
    public async Task A_question_z3_cannot_answer_in_time_is_unknown_with_the_reason_and_the_session_goes_on()
    {
        await using var z3 = Tools.Z3Session();
        var options = MbaVerifyOptions.Default.WithStrategy(MbaStrategy.SmtOnly) with { SmtTimeout = TimeSpan.FromMilliseconds(300), SmtGrace = TimeSpan.FromSeconds(1) };
        var verifier = new MbaVerifier(z3, options);

        // The classic polynomial MBA asked whole at 64 bits: z3 4.8.12 does not answer in 300 ms.
        var verdict = await verifier.VerifyAsync(P("(x & y) * (x | y) + (x & ~y) * (~x & y)"), P("x * y"), 64);

        var unknown = Assert.IsType<MbaVerdict.Unknown>(verdict);
        Assert.Contains("z3", unknown.Reason, StringComparison.Ordinal);
        var next = new MbaVerifier(z3, MbaVerifyOptions.Default.WithStrategy(MbaStrategy.SmtOnly));
        var refuted = Assert.IsType<MbaVerdict.Counterexample>(await next.VerifyAsync(P("x * y * 3"), P("y * x"), 64));
        Assert.NotEqual(refuted.Lhs, refuted.Rhs);
    }

    /// <summary>A solver that never answers until the query is cancelled (a hung process, as the verifier sees it).</summary>
    private sealed class SilentSolver : ISmtSolver
    {
        public int Cancelled { get; private set; }

        public string Name => "silent";

        public Task<ProverAvailability> ProbeAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<ProverAvailability>(new ProverAvailability.Available(new ProverIdentity("silent", "0"), "silent"));

        public async Task<SmtAnswer> CheckSatAsync(SmtQuery query, CancellationToken cancellationToken = default)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled++;
                throw;
            }

            return new SmtAnswer.Unknown("unreachable");
        }

        public Task<SmtScriptResult> RunScriptAsync(string script, TimeSpan timeout, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
