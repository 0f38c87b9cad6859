using ProofAgent.Problems;

namespace ProofAgent.Mba;

/// <summary>The outcome of <see cref="MbaSynthesis.RunAsync"/>: the problems, how their ground truth was established, and what writing them did.</summary>
public sealed record MbaSynthesisReport(IReadOnlyList<MbaProblem> Problems, IReadOnlyDictionary<string, int> GroundTruth, ProblemSetReport Written)
{
    /// <summary>True when every generated identity was confirmed (a generator or verifier bug otherwise).</summary>
    public bool AllConfirmed => GroundTruth.Keys.All(key => key.StartsWith("identity:", StringComparison.Ordinal));
}

/// <summary>Generates MBA identities, establishes each one's ground truth with the verifier, and writes them as problems.</summary>
public static class MbaSynthesis
{
    /// <summary>The first option out of range, named as the CLI spells it, or null.</summary>
    public static string? Problem(MbaGeneratorOptions options, int count)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Bits is < 2 or > 64 || options.Variables is < 1 or > 3 || options.Depth is < 0 or > 10 || count < 0
            ? "--bits must be 2-64, --vars 1-3, --depth 0-10 and --count not negative"
            : null;
    }

    public static async Task<MbaSynthesisReport> RunAsync(MbaGeneratorOptions options, int count, MbaVerifier verifier, ProblemSetTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(target);
        if (Problem(options, count) is { } problem)
        {
            throw new ArgumentOutOfRangeException(nameof(options), problem);
        }

        var problems = new List<MbaProblem>();
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var identity in new MbaGenerator(options).Generate(count))
        {
            var verdict = await verifier.VerifyAsync(identity.Obfuscated, identity.Simple, options.Bits, cancellationToken);
            var key = $"{verdict.Name}:{verdict.Method?.Name() ?? "none"}";
            counts[key] = counts.GetValueOrDefault(key) + 1;
            problems.Add(MbaProblems.Build(identity.Id, identity.Obfuscated, identity.Simple, options.Bits, verdict));
        }

        var written = await ProblemSetWriter.WriteAsync(problems, target, cancellationToken);
        return new MbaSynthesisReport(problems, counts, written);
    }
}
