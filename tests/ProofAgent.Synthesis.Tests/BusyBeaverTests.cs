using ProofAgent.Synthesis.BusyBeaver;

namespace ProofAgent.Synthesis.Tests;

public sealed class BusyBeaverTests
{
    [Fact]
    public void Should_parse_and_print_the_bbchallenge_format()
    {
        const string champion = "1RB1LC_1RC1RB_1RD0LE_1LA1LD_1RZ0LA";
        Assert.Equal(champion, TuringMachine.Parse(champion).ToString());
        Assert.Equal("1RB---_1LA1RZ", TuringMachine.Parse("1RB---_1LA1RZ").ToString());
        var error = Assert.Throws<FormatException>(() => TuringMachine.Parse("1RB1LA_1XA1RB"));
        Assert.Contains("state B", error.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => TuringMachine.Parse("1RB1L"));
        Assert.Throws<FormatException>(() => TuringMachine.Parse("1RQ1LA"));
    }

    [Fact]
    public void Should_simulate_the_5_state_champion_to_47176870_steps()
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var run = Simulator.Run(TuringMachine.Parse("1RB1LC_1RC1RB_1RD0LE_1LA1LD_1RZ0LA"), 100_000_000);
        Assert.True(run.Halted);
        Assert.Equal(47_176_870, run.Steps);
        Assert.Equal(4098, run.Ones);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
    }

    [Theory]
    [InlineData(2, 6, 0)]
    [InlineData(3, 21, 37)]
    public void Should_reproduce_small_busy_beaver_values(int states, long steps, long maxUndecided)
    {
        // Without a bouncer decider, 37 three-state machines (bouncers and counters) stay undecided: a known gap.
        var report = Enumeration.Run(states, BbEnumerationOptions.Default);
        Assert.Equal(steps, report.MaxSteps);
        Assert.True(report.Undecided <= maxUndecided, $"{report.Undecided} undecided");
        Assert.True(report.Halting > 0 && report.DecidedNonHalting > 0);
    }

    [Fact]
    public void Should_recheck_every_certificate_of_the_3_state_enumeration_independently()
    {
        var checkedCount = 0;
        Enumeration.Run(3, BbEnumerationOptions.Default, m =>
        {
            if (m.Decision.Certificate is { } certificate)
            {
                Assert.True(CertificateChecker.Check(m.Machine, certificate, out var reason), $"{m.Machine}: {certificate} ({reason})");
                checkedCount++;
            }
        });
        Assert.True(checkedCount > 1000);
    }

    [Fact]
    public void Should_reject_wrong_certificates()
    {
        var bb2 = TuringMachine.Parse("1RB1LB_1LA1RZ");
        Assert.True(CertificateChecker.Check(bb2, new BbCertificate.Halts(6, 4), out _));
        Assert.False(CertificateChecker.Check(bb2, new BbCertificate.Halts(5, 4), out _));
        Assert.False(CertificateChecker.Check(bb2, new BbCertificate.Cycler(0, 2), out _));
        Assert.False(CertificateChecker.Check(bb2, new BbCertificate.Backward(10), out _));
        var mover = TuringMachine.Parse("1RA---");
        Assert.False(CertificateChecker.Check(mover, new BbCertificate.Cycler(1, 3), out _));
        Assert.True(CertificateChecker.Check(mover, new BbCertificate.TranslatedCycler(1, 2, 1), out _));
        Assert.False(CertificateChecker.Check(mover, new BbCertificate.TranslatedCycler(1, 2, -1), out _));
        var bouncer = TuringMachine.Parse("1RB0LA_1LA0RB");
        var decision = Deciders.Decide(bouncer, DeciderOptions.Default.WithMaxSteps(1000));
        Assert.Equal(BbVerdict.NonHalting, decision.Verdict);
        Assert.True(CertificateChecker.Check(bouncer, decision.Certificate!, out var why), why);
    }
}

public sealed class BusyBeaverCoqTests
{
    [RequiresToolFact("coqc")]
    public async Task Should_emit_coq_proofs_that_coqc_accepts_for_halting_and_cyclers()
    {
        var bb3 = TuringMachine.Parse("1RB1RZ_1LB0RC_1LC1LA");
        var decision = Deciders.Decide(bb3);
        Assert.Equal(21, decision.Steps);
        var cycler = TuringMachine.Parse("1RB0RB_1LA0LA");
        var cycle = Deciders.Decide(cycler, DeciderOptions.Default.WithMaxSteps(500));
        Assert.IsType<BbCertificate.Cycler>(cycle.Certificate);
        var problems = new[]
        {
            BbProblems.Build(bb3, decision, BbTemplate.HaltsExactly, 21),
            BbProblems.Build(bb3, decision, BbTemplate.HaltsWithin, 30),
            BbProblems.Build(cycler, cycle, BbTemplate.NeverHalts, 0),
            BbProblems.Build(cycler, cycle, BbTemplate.NotWithin, 50),
        };
        foreach (var problem in problems)
        {
            Assert.NotNull(problem.CoqProof);
            var result = await Tools.CheckCoqAsync(problem.CoqProof!);
            Assert.True(result.Verdict is ProofAgent.Provers.Verdict.Proved, $"{problem.Template}: {result.Verdict.Summary}\n{string.Join("\n", result.Diagnostics)}");
            Assert.Contains("theorem", problem.Lean, StringComparison.Ordinal);
        }

        // A wrong step count must not check.
        var wrong = BbProblems.Build(bb3, decision with { Steps = 20 }, BbTemplate.HaltsExactly, 20);
        Assert.False((await Tools.CheckCoqAsync(wrong.CoqProof!)).Verdict is ProofAgent.Provers.Verdict.Proved);
    }
}
