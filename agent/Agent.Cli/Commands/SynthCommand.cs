using ProofAgent.BusyBeaver;
using ProofAgent.Mba;
using ProofAgent.Problems;
using ProofAgent.Provers.Coq;

namespace ProofAgent.Cli.Commands;

/// <summary><c>agent synth bb|mba</c>: generate problems with ground truth, in Lean 4, Coq and Markdown, with Coq proofs where possible.</summary>
internal static class SynthCommand
{
    public static Command Create() => new("synth", "Synthesize proof problems with known answers.") { Bb(), Mba() };

    private static Command Bb()
    {
        var states = new Option<int>("--states") { Description = "Number of states (1-4 enumerate in seconds to minutes).", Required = true };
        var count = new Option<int>("--count") { Description = "Problems to write.", DefaultValueFactory = _ => 20 };
        var outDir = new Option<string?>("--out") { Description = "Folder for the problems (.lean, .v, .proof.v, .md, problems.jsonl)." };
        var steps = new Option<long>("--sim-steps") { Description = "Steps simulated per machine before the deciders run.", DefaultValueFactory = _ => 1_000 };
        var checkCoq = new Option<bool>("--check") { Description = "Check every emitted Coq proof with coqc (soundness gate, in the sandbox)." };
        var recheck = new Option<bool>("--recheck") { Description = "Re-verify every decision's certificate with the independent CertificateChecker." };
        var command = new Command("bb", "Enumerate n-state Busy Beaver machines in tree normal form, decide them, and write problems.")
        {
            states, count, outDir, steps, checkCoq, recheck, SandboxOption.UnsafeNoSandbox,
        };
        command.SetHandler(async (parse, output, ct) =>
        {
            var options = new BbSynthesisOptions()
                .WithStates(parse.GetValue(states))
                .WithCount(parse.GetValue(count))
                .WithSimulationSteps(parse.GetValue(steps))
                .WithRecheck(parse.GetValue(recheck));
            if (options.Problem() is { } problem)
            {
                throw new UsageException(problem);
            }

            await using var provers = parse.GetValue(checkCoq) ? Provers(parse, output) : null;
            var report = await BbSynthesis.RunAsync(options, Target(parse.GetValue(outDir), provers), ct);
            var (e, recheckReport, written) = (report.Enumeration, report.Recheck, report.Written);
            if (output.Json)
            {
                output.WriteJson(new
                {
                    states = e.States,
                    machines = e.Machines,
                    halting = e.Halting,
                    decidedNonHalting = e.DecidedNonHalting,
                    undecided = e.Undecided,
                    maxSteps = e.MaxSteps,
                    champion = e.Champion,
                    championOnes = e.ChampionOnes,
                    byDecider = e.ByDecider,
                    byParameters = report.ByParameters,
                    undecidedMachines = report.UndecidedMachines,
                    rechecked = recheckReport?.Accepted,
                    recheckFailures = recheckReport?.Rejected,
                    recheckRejected = recheckReport?.RejectedMachines,
                    recheckSeconds = recheckReport is null ? (double?)null : Math.Round(recheckReport.Elapsed.TotalSeconds, 3),
                    seconds = Math.Round(report.EnumerationTime.TotalSeconds, 3),
                    problems = written.Problems,
                    coqProofs = written.CoqProofs,
                    coqProved = written.CoqProved,
                    coqRejected = written.CoqRejected,
                    coqRejections = Rejections(written),
                });
            }

            output.Line($"{e.States} states: {e.Machines} machines, {e.Halting} halting, {e.DecidedNonHalting} non-halting (decided), {e.Undecided} undecided; max steps {e.MaxSteps} by {e.Champion} ({report.EnumerationTime.TotalSeconds:0.00} s)");
            output.Line($"deciders: {string.Join(", ", e.ByDecider.Select(kv => $"{kv.Key} {kv.Value}"))}");
            if (recheckReport is not null)
            {
                output.Line($"certificates re-checked independently: {recheckReport.Accepted} accepted, {recheckReport.Rejected} rejected ({recheckReport.Elapsed.TotalSeconds:0.00} s)");
            }

            return written.CoqRejected > 0 || recheckReport?.Rejected > 0 ? ExitCodes.NotProved : ExitCodes.Success;
        });
        return command;
    }

    private static Command Mba()
    {
        var count = new Option<int>("--count") { Description = "Identities to generate.", DefaultValueFactory = _ => 20 };
        var bits = new Option<int>("--bits") { Description = "Word width.", DefaultValueFactory = _ => 8 };
        var vars = new Option<int>("--vars") { Description = "Variables (1-3).", DefaultValueFactory = _ => 2 };
        var depth = new Option<int>("--depth") { Description = "Obfuscation depth (zero identities folded in).", DefaultValueFactory = _ => 2 };
        var polynomial = new Option<bool>("--polynomial") { Description = "Compose with invertible polynomials (non-linear MBA)." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var outDir = new Option<string?>("--out") { Description = "Folder for the problems." };
        var checkCoq = new Option<bool>("--check") { Description = "Check every emitted Coq proof with coqc (in the sandbox)." };
        var command = new Command("mba", "Generate Mixed Boolean-Arithmetic identities with ground truth.")
        {
            count, bits, vars, depth, polynomial, seed, outDir, checkCoq, SandboxOption.UnsafeNoSandbox,
        };
        command.SetHandler(async (parse, output, ct) =>
        {
            var width = parse.GetValue(bits);
            var options = new MbaGeneratorOptions { Bits = width, Variables = parse.GetValue(vars), Depth = parse.GetValue(depth), Polynomial = parse.GetValue(polynomial), Seed = parse.GetValue(seed) };
            if (MbaSynthesis.Problem(options, parse.GetValue(count)) is { } problem)
            {
                throw new UsageException(problem);
            }

            await using var provers = Provers(parse, output);
            await using var solver = SolverSessions.Open(provers, "z3");
            var target = Target(parse.GetValue(outDir), parse.GetValue(checkCoq) ? provers : null);
            var report = await MbaSynthesis.RunAsync(options, parse.GetValue(count), new MbaVerifier(solver), target, ct);
            var written = report.Written;
            if (output.Json)
            {
                output.WriteJson(new { problems = written.Problems, groundTruth = report.GroundTruth, coqProofs = written.CoqProofs, coqProved = written.CoqProved, coqRejected = written.CoqRejected, coqRejections = Rejections(written) });
            }

            output.Line($"{written.Problems} MBA problems at {width} bits: {string.Join(", ", report.GroundTruth.Select(kv => $"{kv.Key} {kv.Value}"))}");
            return written.CoqRejected > 0 || !report.AllConfirmed ? ExitCodes.NotProved : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The first rejected proofs with coqc's verdict (null when none was rejected).</summary>
    private static object? Rejections(ProblemSetReport written) =>
        written.CoqRejected == 0 ? null : written.Rejections.Take(20).Select(r => new { id = r.Id, verdict = r.Verdict });

    /// <summary>
    /// The one place this command builds its provers: the sandboxed host of <see cref="SandboxOption"/>. The fixpoints in
    /// the emitted proofs are the service's own template (the machine simulator), not submitted text, and the known
    /// guard-checker bugs of the installed Coq need a crafted fixpoint: recursion is trusted here (docs/SECURITY.md).
    /// </summary>
    private static ProverHost Provers(ParseResult parse, CliOutput output)
    {
        var settings = ProverSettings.FromEnvironment();
        return SandboxOption.CreateHost(parse, output, settings with { Coq = settings.Coq.WithTrustedFeatures([.. settings.Coq.TrustedFeatures, KernelFeature.Recursion]) });
    }

    /// <summary>Where problems go; with a host (<c>--check</c>), its sandboxed Coq checker replays every emitted proof.</summary>
    private static ProblemSetTarget Target(string? folder, ProverHost? provers) =>
        new(folder, provers?.Checker(ProofLanguage.Coq), CliJson.Options);
}
