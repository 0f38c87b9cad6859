using ProofAgent.BusyBeaver;

namespace ProofAgent.BusyBeaver.Tests;

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
        // Its speed is measured by `agent bb decide` (benchmarks/ProofAgent.BusyBeaver/README.md), not asserted here.
        var run = Simulator.Run(TuringMachine.Parse("1RB1LC_1RC1RB_1RD0LE_1LA1LD_1RZ0LA"), 100_000_000);
        Assert.True(run.Halted);
        Assert.Equal(47_176_870, run.Steps);
        Assert.Equal(4098, run.Ones);
    }

    [Theory]
    [InlineData(2, 6)]
    [InlineData(3, 21)]
    public void Should_reproduce_small_busy_beaver_values_with_every_machine_decided(int states, long steps)
    {
        var report = Enumeration.Run(states, BbEnumerationOptions.Default);
        Assert.Equal(steps, report.MaxSteps);
        Assert.Equal(0, report.Undecided);
        Assert.Equal(report.Machines, report.Halting + report.DecidedNonHalting);
        Assert.True(report.Halting > 0 && report.DecidedNonHalting > 0);
    }

    [Fact]
    public void Should_establish_BB4_is_107_with_every_machine_decided_and_every_certificate_rechecked()
    {
        // Every 4-state machine in tree normal form halts within 107 steps or carries a non-halting certificate, and the
        // independent checker accepts every certificate (about 20 s).
        long rechecked = 0;
        var rejected = new List<string>();
        var report = Enumeration.Run(4, BbEnumerationOptions.Default, m =>
        {
            Assert.NotNull(m.Decision.Certificate);
            if (CertificateChecker.Check(m.Machine, m.Decision.Certificate!, out var reason))
            {
                rechecked++;
            }
            else
            {
                rejected.Add($"{m.Machine}: {reason}");
            }
        });
        Assert.Empty(rejected);
        Assert.Equal(858_908, report.Machines);
        Assert.Equal(249_692, report.Halting);
        Assert.Equal(0, report.Undecided);
        Assert.Equal(107, report.MaxSteps);
        Assert.Equal("1RB1LB_1LA0LC_1RZ1LD_1RD0RA", report.Champion);
        Assert.Equal(report.Machines, rechecked);
    }

    [Fact]
    public void Should_decide_the_3_state_bouncers_that_the_older_deciders_left_open()
    {
        // Before n-gram CPS, 37 three-state machines (bouncers) stayed undecided; now they all carry closed sets.
        var report = Enumeration.Run(3, BbEnumerationOptions.Default with { Deciders = DeciderOptions.Default.WithNGramCps([]).WithRepWl([]) });
        Assert.Equal(37, report.Undecided);
        var full = Enumeration.Run(3, BbEnumerationOptions.Default);
        Assert.Equal(37, full.ByDecider.Where(kv => kv.Key.StartsWith("ngram-cps", StringComparison.Ordinal) || kv.Key == "repwl").Sum(kv => kv.Value));
    }

    [Theory]
    [InlineData("0RB0LB_1LA0RC_1RB---", "ngram-cps")] // bouncer: 0 (10)^n grows to the right
    [InlineData("0RB---_0LC1RB_1LA1LC", "ngram-cps")] // bouncer: 0 1^n 0 widening on both sides
    [InlineData("0RB0LA_1LA1RC_1RB---", "ngram-cps-history")] // bouncer with a travelling 1: needs update history
    [InlineData("1RB1LA_0LA1RC_1LA1RD_---1RC", "ngram-cps-history")]
    [InlineData("1RB1LA_1LA1RC_---0RD_0LA1RD", "ngram-cps-lru")]
    [InlineData("1RB0LD_1LC1RB_---1LA_0RB1LD", "ngram-cps-lru")]
    [InlineData("1RB1LA_1LA0RC_1LD1RC_---0LA", "repwl")] // two zeros converging in a block of ones: the BB(4) holdouts of n-gram CPS
    [InlineData("1RB0RB_1LC1RB_---0LD_1RA1LD", "repwl")]
    public void Should_decide_bouncers_with_certificates_the_checker_accepts(string text, string decider)
    {
        var machine = TuringMachine.Parse(text);
        var decision = HaltingDecider.Decide(machine, DeciderOptions.Default.WithMaxSteps(100_000));
        Assert.Equal(BbVerdict.NonHalting, decision.Verdict);
        Assert.Equal(decider, decision.Decider);
        Assert.True(CertificateChecker.Check(machine, decision.Certificate!, out var reason), reason);
        Assert.StartsWith("closed", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_keep_the_tape_within_its_cell_limit_and_simulate_exactly_up_to_it()
    {
        // Runs right forever, one new cell per step: stops at the limit instead of growing the tape to --max-steps bytes.
        var runaway = TuringMachine.Parse("1RA1RZ");
        var stopped = Simulator.Run(runaway, 10_000_000_000, maxTapeCells: 4096);
        Assert.True(stopped.TapeLimitReached);
        Assert.False(stopped.Halted);
        Assert.InRange(stopped.Steps, 2048, 4096);
        Assert.Equal(stopped.Steps, stopped.Ones);

        // A limit that is not a doubling of the tape (1024 -> 1500), growing to the left (the copy shifts the cells):
        // the limited run agrees with the unlimited one step for step until it stops.
        var champion = TuringMachine.Parse("1RB1LC_1RC1RB_1RD0LE_1LA1LD_1RZ0LA");
        var limited = Simulator.Run(champion, 47_176_870, maxTapeCells: 1500);
        Assert.True(limited.TapeLimitReached);
        var same = Simulator.Run(champion, limited.Steps);
        Assert.Equal((same.Steps, same.Ones, same.State, same.Halted), (limited.Steps, limited.Ones, limited.State, limited.Halted));
    }

    [Fact]
    public void Should_decide_a_translated_cycler_before_a_long_halting_search()
    {
        var decision = HaltingDecider.Decide(TuringMachine.Parse("1LA1RZ"), DeciderOptions.Default.WithMaxSteps(10_000_000_000));

        Assert.Equal(BbVerdict.NonHalting, decision.Verdict);
        Assert.Equal("translated-cycler", decision.Decider);
        Assert.True(CertificateChecker.Check(TuringMachine.Parse("1LA1RZ"), decision.Certificate!, out var reason), reason);
    }

    [Fact]
    public void Should_close_a_binary_counter_with_n_gram_cps()
    {
        // A binary counter (the tape grows logarithmically: 10, 110, 1000, 1010, ...): no halting transition at all, so
        // backward reasoning decides it first; n-gram CPS alone must close it too.
        var counter = TuringMachine.Parse("1RB1LA_0LA0RB_0RA0LB");
        Assert.False(Simulator.Run(counter, 1_000_000).Halted);
        var certificate = NGramCpsDecider.Decide(counter, NGramCpsParameters.Standard);
        Assert.NotNull(certificate);
        Assert.True(CertificateChecker.Check(counter, certificate!, out var reason), reason);
    }

    [Fact]
    public void Should_reject_tampered_closed_position_sets()
    {
        var machine = TuringMachine.Parse("0RB0LA_1LA1RC_1RB---");
        var cps = Assert.IsType<BbCertificate.NGramCps>(HaltingDecider.Decide(machine, DeciderOptions.Default.WithMaxSteps(10_000)).Certificate);
        Assert.True(CertificateChecker.Check(machine, cps, out var reason), reason);

        // Each context and each gram is needed: dropping any one breaks closure (or the blank start).
        for (var i = 0; i < cps.Contexts.Count; i++)
        {
            var fewer = cps with { Contexts = cps.Contexts.Where((_, j) => j != i).ToList() };
            Assert.False(CertificateChecker.Check(machine, fewer, out _), $"without context {cps.Contexts[i]}");
        }

        for (var i = 0; i < cps.RightGrams.Count; i++)
        {
            var fewer = cps with { RightGrams = cps.RightGrams.Where((_, j) => j != i).ToList() };
            Assert.False(CertificateChecker.Check(machine, fewer, out _), $"without right gram {cps.RightGrams[i]}");
        }

        // A context meeting the halting transition (C reading 1), a different augmentation, another machine.
        var halting = cps with { Contexts = [.. cps.Contexts, "C|0,0|1|0,0"] };
        Assert.False(CertificateChecker.Check(machine, halting, out reason));
        Assert.Contains("halts", reason, StringComparison.Ordinal);
        Assert.False(CertificateChecker.Check(machine, cps with { Augmentation = CpsAugmentation.None }, out _));
        Assert.False(CertificateChecker.Check(machine, cps with { History = 1 }, out _));
        Assert.False(CertificateChecker.Check(TuringMachine.Parse("0RB0LA_1LA1RC_------"), cps, out _));
        Assert.False(CertificateChecker.Check(machine, cps with { Contexts = [.. cps.Contexts, "A|0,x|0|0,0"] }, out reason));
        Assert.Contains("malformed", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_reject_tampered_repeated_word_lists()
    {
        var machine = TuringMachine.Parse("1RB1LA_1LA0RC_1LD1RC_---0LA");
        var words = Assert.IsType<BbCertificate.RepWl>(HaltingDecider.Decide(machine, DeciderOptions.Default.WithMaxSteps(10_000)).Certificate);
        Assert.True(CertificateChecker.Check(machine, words, out var reason), reason);
        foreach (var i in new[] { 0, words.Configurations.Count / 2, words.Configurations.Count - 1 })
        {
            var fewer = words with { Configurations = words.Configurations.Where((_, j) => j != i).ToList() };
            Assert.False(CertificateChecker.Check(machine, fewer, out _), $"without {words.Configurations[i]}");
        }

        Assert.False(CertificateChecker.Check(machine, words with { Threshold = words.Threshold + 1 }, out _));
        Assert.False(CertificateChecker.Check(machine, words with { BlockLength = words.BlockLength + 1 }, out _));
        Assert.False(CertificateChecker.Check(TuringMachine.Parse("1RB1LA_1LA0RC_1LD1RC_------"), words, out _));
        Assert.False(CertificateChecker.Check(machine, words with { Configurations = [.. words.Configurations, "11^0|AR|"] }, out reason));
        Assert.Contains("malformed", reason, StringComparison.Ordinal);
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
        var decision = HaltingDecider.Decide(bouncer, DeciderOptions.Default.WithMaxSteps(1000));
        Assert.Equal(BbVerdict.NonHalting, decision.Verdict);
        Assert.True(CertificateChecker.Check(bouncer, decision.Certificate!, out var why), why);
    }
}

public sealed class BusyBeaverCoqTests
{
    [RequiresToolsFact("coqc")]
    public async Task Should_emit_coq_proofs_that_coqc_accepts_for_halting_and_cyclers()
    {
        var bb3 = TuringMachine.Parse("1RB1RZ_1LB0RC_1LC1LA");
        var decision = HaltingDecider.Decide(bb3);
        Assert.Equal(21, decision.Steps);
        var cycler = TuringMachine.Parse("1RB0RB_1LA0LA");
        var cycle = HaltingDecider.Decide(cycler, DeciderOptions.Default.WithMaxSteps(500));
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
