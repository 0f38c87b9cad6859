using ProofAgent.Provers.Coq;
using Spectre.Console;

namespace ProofAgent.Cli.Infrastructure;

/// <summary><c>agent check --version</c>: the provers found here and the known kernel bugs of the installed Coq.</summary>
internal static class ProverVersions
{
    private sealed record ProverEntry(string Language, string Status, string? Name, string? Version, string? Reason);

    private sealed record BugEntry(string Issue, string Title, string Feature, string IntroducedIn, string? FixedIn, bool CoqchkShares, string Handling);

    private sealed record Report(IReadOnlyList<ProverEntry> Provers, string? Coq, IReadOnlyList<BugEntry> CoqKernelBugs, IReadOnlyList<string> UntrustedFeatures);

    public static async Task ReportAsync(CliOutput output, ProverCatalog catalog, CancellationToken cancellationToken)
    {
        var probes = new List<(ProofLanguage Language, ProverAvailability Availability)>();
        ProverIdentity? coq = null;
        foreach (var language in ProofLanguages.All)
        {
            var availability = await catalog.Checker(language).ProbeAsync(cancellationToken);
            probes.Add((language, availability));
            if (language == ProofLanguage.Coq && availability is ProverAvailability.Available available)
            {
                coq = available.Identity;
            }
        }

        var provers = probes.Select(p => p.Availability switch
        {
            ProverAvailability.Available a => new ProverEntry(p.Language.Id(), "available", a.Identity.Name, a.Identity.Version, null),
            ProverAvailability.Missing m => new ProverEntry(p.Language.Id(), "unavailable", m.Prover, null, $"{m.Reason}; {m.InstallHint}"),
            _ => throw new InvalidOperationException("unknown availability"),
        }).ToList();

        var version = coq is null ? null : CoqKernelBugs.ParseVersion(coq.Version);
        var untrusted = coq is null ? new HashSet<KernelFeature>() : CoqChecker.Untrusted(catalog.Settings.Coq, coq);
        var bugs = version is null ? [] : CoqKernelBugs.Affecting(version).Select(b => new BugEntry(
            $"rocq#{b.Issue}",
            b.Title,
            b.Feature.ToString(),
            b.IntroducedIn.ToString(),
            b.FixedIn?.ToString(),
            b.CoqchkShares,
            b.Feature == KernelFeature.Primitives ? "rejected: primitive integers, floats and arrays are never accepted on this version"
                : !b.CoqchkShares ? "caught by the coqchk re-check" : untrusted.Contains(b.Feature) ? $"rejected: the gate refuses {b.Feature} in submitted text" : $"TRUSTED by configuration ({b.Feature})")).ToList();
        var report = new Report(provers, coq?.Version, bugs, [.. untrusted.Select(f => f.ToString()).Order(StringComparer.Ordinal)]);
        if (output.Json)
        {
            output.WriteJson(report);
            return;
        }

        foreach (var (language, availability) in probes)
        {
            output.Human.WriteLine(availability switch
            {
                ProverAvailability.Available a => $"{language.Id(),-9} {a.Identity.Name} {a.Identity.Version}",
                ProverAvailability.Missing m => $"{language.Id(),-9} unavailable: {m.Reason}; {m.InstallHint}",
                _ => throw new InvalidOperationException("unknown availability"),
            });
        }

        if (coq is not null)
        {
            output.Human.WriteLine();
            output.Human.WriteLine($"Known kernel soundness bugs of Coq {coq.Version} ({bugs.Count}):");
            foreach (var bug in bugs)
            {
                output.Human.WriteLine($"  {bug.Issue,-12} {bug.Feature,-17} fixed in {bug.FixedIn ?? "(not yet)",-10} {bug.Handling}: {bug.Title}");
            }
        }
    }
}
