using ProofAgent.BusyBeaver;

namespace ProofAgent.Cli.Commands;

/// <summary><c>agent bb decide TM</c>: decide halting of one machine in the bbchallenge format, with a checked certificate.</summary>
internal static class BbCommand
{
    public static Command Create()
    {
        var machine = new Argument<string>("TM") { Description = "The machine in bbchallenge format, e.g. 1RB1LB_1LA1RZ." };
        var maxSteps = new Option<long>("--max-steps") { Description = "Steps to simulate looking for a halt.", DefaultValueFactory = _ => 100_000_000 };
        var decide = new Command("decide", "Decide whether a Turing machine halts from the blank tape (simulation, cyclers, translated cyclers, backward reasoning, n-gram closed position sets, repeated word lists).")
        {
            machine, maxSteps,
        };
        decide.SetHandler((parse, output, _) =>
        {
            TuringMachine tm;
            try
            {
                tm = TuringMachine.Parse(parse.GetValue(machine)!);
            }
            catch (FormatException exception)
            {
                throw new UsageException($"bad machine '{parse.GetValue(machine)}': {exception.Message}");
            }

            var steps = parse.GetValue(maxSteps);
            if (steps is < 1 or > 10_000_000_000)
            {
                throw new UsageException($"--max-steps must be between 1 and 10^10, got {steps}");
            }

            var decision = HaltingDecider.Decide(tm, DeciderOptions.Default.WithMaxSteps(steps));
            var checkedOk = decision.Certificate is null || CertificateChecker.Check(tm, decision.Certificate, out string _);
            // A certificate the checker rejects decides nothing.
            var effective = checkedOk ? decision.Verdict : BbVerdict.Undecided;
            var verdict = effective switch
            {
                BbVerdict.Halts => "halts",
                BbVerdict.NonHalting => "nonhalting",
                _ => "undecided",
            };
            if (output.Json)
            {
                output.WriteJson(new
                {
                    machine = tm.ToString(),
                    verdict,
                    steps = decision.Steps,
                    ones = decision.Ones,
                    decider = decision.Decider,
                    certificate = decision.Certificate is null ? null : Certificate(decision.Certificate),
                    certificateChecked = decision.Certificate is null ? (bool?)null : checkedOk,
                });
            }

            var stoppedEarly = decision.Verdict == BbVerdict.Undecided && decision.Steps < steps;
            output.Line($"{tm}: {verdict}" + (decision.Verdict == BbVerdict.Halts ? $" after {decision.Steps} steps with {decision.Ones} ones" : string.Empty)
                + (decision.Verdict == BbVerdict.Undecided ? $" (no halt within {decision.Steps} simulated steps{(stoppedEarly ? $", where the tape reached its limit of {Simulator.DefaultMaxTapeCells} cells" : string.Empty)}; no decider applies)" : string.Empty)
                + (decision.Decider is null ? string.Empty : $" ({decision.Decider}, certificate {(checkedOk ? "re-checked" : "REJECTED by the checker")})"));
            return Task.FromResult(effective is BbVerdict.Halts or BbVerdict.NonHalting ? ExitCodes.Success : ExitCodes.NotProved);
        });
        return new Command("bb", "Busy Beaver tools.") { decide };
    }

    internal static object Certificate(BbCertificate certificate) => certificate switch
    {
        BbCertificate.Halts h => new { kind = h.Kind, steps = h.Steps, ones = h.Ones },
        BbCertificate.Cycler c => new { kind = c.Kind, t1 = c.T1, t2 = c.T2 },
        BbCertificate.TranslatedCycler t => (object)new { kind = t.Kind, t1 = t.T1, t2 = t.T2, side = t.Side > 0 ? "right" : "left" },
        BbCertificate.Backward b => new { kind = b.Kind, depth = b.Depth },
        BbCertificate.NGramCps n => new
        {
            kind = n.Kind,
            augmentation = n.Augmentation switch { CpsAugmentation.History => "history", CpsAugmentation.Lru => "lru", _ => "none" },
            history = n.History,
            left = n.Left,
            right = n.Right,
            contexts = n.Contexts,
            leftGrams = n.LeftGrams,
            rightGrams = n.RightGrams,
        },
        BbCertificate.RepWl w => new { kind = w.Kind, blockLength = w.BlockLength, threshold = w.Threshold, configurations = w.Configurations },
        _ => new { kind = certificate.Kind },
    };
}
