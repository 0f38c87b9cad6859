namespace ProofAgent.BusyBeaver;

/// <summary>Decides halting of one machine: simulation, then cyclers, translated cyclers, backward reasoning, n-gram CPS and repeated word lists.</summary>
public static class HaltingDecider
{
    public static BbDecision Decide(TuringMachine machine, DeciderOptions? options = null)
    {
        options ??= DeciderOptions.Default;
        if (options.MaxSteps > options.CyclerSteps)
        {
            // A (translated) cycler never halts: decide it before a long halting search, which would only grow its tape
            // (a translated cycler writes a new cell every few steps) for nothing.
            var probe = Simulator.Run(machine, options.CyclerSteps, options.MaxTapeCells);
            if (!probe.Halted && CyclerDecider.Decide(machine, options.CyclerSteps) is { } cycler)
            {
                return new BbDecision(BbVerdict.NonHalting, 0, 0, cycler.Kind, cycler);
            }
        }

        var run = Simulator.Run(machine, options.MaxSteps, options.MaxTapeCells);
        if (run.Halted)
        {
            return new BbDecision(BbVerdict.Halts, run.Steps, run.Ones, "simulation", new BbCertificate.Halts(run.Steps, run.Ones));
        }

        return DecideNonHalting(machine, options, run.Steps) ?? new BbDecision(BbVerdict.Undecided, run.Steps, 0, null, null);
    }

    /// <summary>Tries the non-halting deciders, for a machine known not to halt within <paramref name="simulatedSteps"/> steps.</summary>
    public static BbDecision? DecideNonHalting(TuringMachine machine, DeciderOptions options, long simulatedSteps)
    {
        if (CyclerDecider.Decide(machine, options.CyclerSteps) is { } certificate)
        {
            return new BbDecision(BbVerdict.NonHalting, 0, 0, certificate.Kind, certificate);
        }

        if (simulatedSteps > options.BackwardDepth && BackwardReasoningDecider.Dies(machine, options.BackwardDepth, options.BackwardNodes))
        {
            return new BbDecision(BbVerdict.NonHalting, 0, 0, "backward-reasoning", new BbCertificate.Backward(options.BackwardDepth));
        }

        if (NGramCpsDecider.Decide(machine, options.NGramCps) is { } closed)
        {
            return new BbDecision(BbVerdict.NonHalting, 0, 0, closed.Decider, closed);
        }

        if (RepWlDecider.Decide(machine, options.RepWl) is { } words)
        {
            return new BbDecision(BbVerdict.NonHalting, 0, 0, "repwl", words);
        }

        return null;
    }
}
