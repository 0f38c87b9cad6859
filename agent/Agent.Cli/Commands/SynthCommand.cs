using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ProofAgent.Cli.Infrastructure;
using ProofAgent.Provers;
using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Processes;
using ProofAgent.Synthesis.BusyBeaver;
using ProofAgent.Synthesis.Mba;

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
        var checkCoq = new Option<bool>("--check") { Description = "Check every emitted Coq proof with coqc (soundness gate)." };
        var recheck = new Option<bool>("--recheck") { Description = "Re-verify every decision's certificate with the independent CertificateChecker." };
        var command = new Command("bb", "Enumerate n-state Busy Beaver machines in tree normal form, decide them, and write problems.") { states, count, outDir, steps, checkCoq, recheck };
        command.SetHandler(async (parse, output, ct) =>
        {
            var n = parse.GetValue(states);
            if (n is < 1 or > 5)
            {
                throw new UsageException($"--states must be between 1 and 5, got {n}");
            }

            var k = parse.GetValue(count);
            if (k < 0)
            {
                throw new UsageException($"--count must not be negative, got {k}");
            }

            var simulationSteps = parse.GetValue(steps);
            if (simulationSteps is < 1 or > 10_000_000_000)
            {
                throw new UsageException($"--sim-steps must be between 1 and 10^10, got {simulationSteps}");
            }

            var sw = Stopwatch.StartNew();
            var halting = new List<EnumeratedMachine>();
            var cyclers = new List<EnumeratedMachine>();

            // Other non-halting machines are taken in machine order: keep only the first k (their certificates can be large).
            var otherNames = new SortedSet<string>(StringComparer.Ordinal);
            var others = new Dictionary<string, EnumeratedMachine>(StringComparer.Ordinal);
            var undecided = new List<string>();
            var byParameters = new SortedDictionary<string, long>(StringComparer.Ordinal);
            var recheckAll = parse.GetValue(recheck);
            long rechecked = 0, recheckFailures = 0, recheckTicks = 0;
            var recheckRejected = new List<string>();
            var report = Enumeration.Run(n, new BbEnumerationOptions { SimulationSteps = simulationSteps }, m =>
            {
                if (m.Decision.Certificate is { } certificate)
                {
                    var key = certificate switch
                    {
                        BbCertificate.NGramCps c => c.Augmentation switch
                        {
                            CpsAugmentation.History => $"{c.Decider}({c.History}; {c.Left}, {c.Right})",
                            _ => $"{c.Decider}({c.Left}, {c.Right})",
                        },
                        BbCertificate.RepWl w => $"repwl({w.BlockLength}, {w.Threshold})",
                        _ => m.Decision.Decider ?? certificate.Kind,
                    };
                    byParameters[key] = byParameters.TryGetValue(key, out var seen) ? seen + 1 : 1;
                    if (recheckAll)
                    {
                        var started = Stopwatch.GetTimestamp();
                        if (CertificateChecker.Check(m.Machine, certificate, out var why))
                        {
                            rechecked++;
                        }
                        else if (++recheckFailures <= 100)
                        {
                            recheckRejected.Add($"{m.Machine}: {why}");
                        }

                        recheckTicks += Stopwatch.GetTimestamp() - started;
                    }
                }

                if (m.Decision.Verdict == BbVerdict.Undecided)
                {
                    if (undecided.Count < 1000)
                    {
                        undecided.Add(m.Machine.ToString());
                    }

                    return;
                }

                if (m.Decision.Verdict == BbVerdict.NonHalting && m.Decision.Certificate is not BbCertificate.Cycler)
                {
                    var name = m.Machine.ToString();
                    if (otherNames.Add(name))
                    {
                        others[name] = m;
                    }

                    if (otherNames.Count > k)
                    {
                        others.Remove(otherNames.Max!);
                        otherNames.Remove(otherNames.Max!);
                    }

                    return;
                }

                var bucket = m.Decision.Verdict == BbVerdict.Halts ? halting : cyclers;
                if (bucket.Count < 100_000)
                {
                    bucket.Add(m);
                }
            }, ct);
            var elapsed = sw.Elapsed;

            // The hardest first: longest halting machines, then cyclers with long transients, then other deciders.
            var problems = new List<BbProblem>();
            var longest = halting.OrderByDescending(m => m.Decision.Steps).ThenBy(m => m.Machine.ToString(), StringComparer.Ordinal).ToList();
            var templates = new[] { BbTemplate.HaltsExactly, BbTemplate.HaltsWithin, BbTemplate.NotWithin };
            for (var i = 0; i < longest.Count && problems.Count < (k + 1) / 2; i++)
            {
                var m = longest[i];
                var template = templates[i % templates.Length];
                var bound = template switch
                {
                    BbTemplate.HaltsExactly => m.Decision.Steps,
                    BbTemplate.HaltsWithin => m.Decision.Steps + (m.Decision.Steps / 4),
                    _ => m.Decision.Steps - 1,
                };
                problems.Add(BbProblems.Build(m.Machine, m.Decision, template, bound));
            }

            foreach (var m in cyclers.OrderByDescending(m => ((BbCertificate.Cycler)m.Decision.Certificate!).T2).ThenBy(m => m.Machine.ToString(), StringComparer.Ordinal).Take(Math.Max(0, k - problems.Count - (k / 4))))
            {
                problems.Add(BbProblems.Build(m.Machine, m.Decision, BbTemplate.NeverHalts, 0));
            }

            foreach (var m in otherNames.Select(name => others[name]).Take(Math.Max(0, k - problems.Count)))
            {
                problems.Add(BbProblems.Build(m.Machine, m.Decision, BbTemplate.NeverHalts, 0));
            }

            var (proved, rejected) = await WriteAsync(parse.GetValue(outDir), problems.Select(p => (p.Id, p.Lean, p.CoqStatement, p.CoqProof, p.Markdown, (object)p)).ToList(), parse.GetValue(checkCoq), ct);
            if (output.Json)
            {
                output.WriteJson(new
                {
                    states = n,
                    machines = report.Machines,
                    halting = report.Halting,
                    decidedNonHalting = report.DecidedNonHalting,
                    undecided = report.Undecided,
                    maxSteps = report.MaxSteps,
                    champion = report.Champion,
                    championOnes = report.ChampionOnes,
                    byDecider = report.ByDecider,
                    byParameters,
                    undecidedMachines = undecided,
                    rechecked = recheckAll ? rechecked : (long?)null,
                    recheckFailures = recheckAll ? recheckFailures : (long?)null,
                    recheckRejected = recheckAll ? recheckRejected : null,
                    recheckSeconds = recheckAll ? Math.Round(Stopwatch.GetElapsedTime(0, recheckTicks).TotalSeconds, 3) : (double?)null,
                    seconds = Math.Round(elapsed.TotalSeconds, 3),
                    problems = problems.Count,
                    coqProofs = problems.Count(p => p.CoqProof is not null),
                    coqProved = proved,
                    coqRejected = rejected,
                });
            }

            output.Line($"{n} states: {report.Machines} machines, {report.Halting} halting, {report.DecidedNonHalting} non-halting (decided), {report.Undecided} undecided; max steps {report.MaxSteps} by {report.Champion} ({elapsed.TotalSeconds:0.00} s)");
            output.Line($"deciders: {string.Join(", ", report.ByDecider.Select(kv => $"{kv.Key} {kv.Value}"))}");
            if (recheckAll)
            {
                output.Line($"certificates re-checked independently: {rechecked} accepted, {recheckFailures} rejected ({Stopwatch.GetElapsedTime(0, recheckTicks).TotalSeconds:0.00} s)");
            }

            return rejected > 0 || recheckFailures > 0 ? ExitCodes.NotProved : ExitCodes.Success;
        });
        return command;
    }

    private static Command Mba()
    {
        var count = new Option<int>("--count") { Description = "Identities to generate.", DefaultValueFactory = _ => 20 };
        var bits = new Option<int>("--bits") { Description = "Word width.", DefaultValueFactory = _ => 8 };
        var vars = new Option<int>("--vars") { Description = "Variables (1-3).", DefaultValueFactory = _ => 2 };
        var depth = new Option<int>("--depth") { Description = "Obfuscation depth (zero identities folded in).", DefaultValueFactory = _ => 2 };
        var polynomial = new Option<bool>("--polynomial") { Description = "Compose with invertible polynomials (non-linear MBA; ground truth by Z3)." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var outDir = new Option<string?>("--out") { Description = "Folder for the problems." };
        var checkCoq = new Option<bool>("--check") { Description = "Check every emitted Coq proof with coqc." };
        var command = new Command("mba", "Generate Mixed Boolean-Arithmetic identities with ground truth.") { count, bits, vars, depth, polynomial, seed, outDir, checkCoq };
        command.SetHandler(async (parse, output, ct) =>
        {
            var width = MbaCommand.CheckBits(parse.GetValue(bits));
            if (width < 2 || parse.GetValue(vars) is < 1 or > 3 || parse.GetValue(depth) is < 0 or > 10 || parse.GetValue(count) < 0)
            {
                throw new UsageException("--bits must be 2-64, --vars 1-3, --depth 0-10 and --count not negative");
            }

            var options = new MbaGeneratorOptions { Bits = width, Variables = parse.GetValue(vars), Depth = parse.GetValue(depth), Polynomial = parse.GetValue(polynomial), Seed = parse.GetValue(seed) };
            await using var solver = ProofAgent.Provers.Smt.SmtSession.Z3(new ProcessRunner());
            var verifier = new MbaVerifier(solver);
            var problems = new List<MbaProblem>();
            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var identity in new MbaGenerator(options).Generate(parse.GetValue(count)))
            {
                var verdict = await verifier.VerifyAsync(identity.Obfuscated, identity.Simple, width, ct);
                var key = $"{verdict.Name}:{verdict.Method?.Name() ?? "none"}";
                counts[key] = counts.TryGetValue(key, out var c) ? c + 1 : 1;
                problems.Add(MbaProblems.Build(identity.Id, identity.Obfuscated, identity.Simple, width, verdict));
            }

            var (proved, rejected) = await WriteAsync(parse.GetValue(outDir), problems.Select(p => (p.Id, p.Lean, p.CoqStatement, p.CoqProof, p.Markdown, (object)p)).ToList(), parse.GetValue(checkCoq), ct);
            if (output.Json)
            {
                output.WriteJson(new { problems = problems.Count, groundTruth = counts, coqProofs = problems.Count(p => p.CoqProof is not null), coqProved = proved, coqRejected = rejected });
            }

            output.Line($"{problems.Count} MBA problems at {width} bits: {string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value}"))}");
            return rejected > 0 || counts.Keys.Any(key => !key.StartsWith("identity", StringComparison.Ordinal)) ? ExitCodes.NotProved : ExitCodes.Success;
        });
        return command;
    }

    private static async Task<(int Proved, int Rejected)> WriteAsync(string? folder, IReadOnlyList<(string Id, string Lean, string Coq, string? Proof, string Markdown, object Record)> problems, bool check, CancellationToken ct)
    {
        int proved = 0, rejected = 0;
        // The fixpoints in these files are the service's own template (the machine simulator), not submitted text: the
        // guard-checker bugs of the installed Coq need a crafted fixpoint, so recursion is trusted here (docs/SECURITY.md).
        var checker = check ? new CoqChecker(CoqOptions.Default.WithTrustedFeatures(KernelFeature.Recursion), new ProcessRunner()) : null;
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        var jsonl = new List<string>();
        foreach (var p in problems)
        {
            if (checker is not null && p.Proof is not null)
            {
                var result = await checker.CheckAsync(new ProofTask(ProofLanguage.Coq, p.Proof).WithFileName(p.Id + ".v"), ct);
                if (result.Verdict.IsProved)
                {
                    proved++;
                }
                else
                {
                    rejected++;
                }
            }

            if (folder is null)
            {
                continue;
            }

            await File.WriteAllTextAsync(Path.Combine(folder, p.Id + ".lean"), p.Lean, ct);
            await File.WriteAllTextAsync(Path.Combine(folder, p.Id + ".v"), p.Coq, ct);
            await File.WriteAllTextAsync(Path.Combine(folder, p.Id + ".md"), p.Markdown, ct);
            if (p.Proof is not null)
            {
                await File.WriteAllTextAsync(Path.Combine(folder, p.Id + ".proof.v"), p.Proof, ct);
            }

            jsonl.Add(JsonSerializer.Serialize(p.Record, CliJson.Options));
        }

        if (folder is not null)
        {
            await File.WriteAllLinesAsync(Path.Combine(folder, "problems.jsonl"), jsonl, ct);
        }

        return (proved, rejected);
    }
}
