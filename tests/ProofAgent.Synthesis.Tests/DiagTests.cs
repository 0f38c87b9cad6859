using ProofAgent.Synthesis.Mba;

namespace ProofAgent.Synthesis.Tests;

public sealed class DiagTests
{
    [Fact]
    public async Task Diag()
    {
        var z3 = new MbaVerifier(Tools.Z3(), MbaVerifyOptions.Default.WithStrategy(MbaStrategy.SmtOnly) with { SmtTimeout = TimeSpan.FromSeconds(5) });
        var log = new List<string>();
        foreach (var identity in new MbaGenerator(MbaGeneratorOptions.Default.WithBits(8).WithSeed(8).WithDepth(2)).Generate(10))
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var v = await z3.VerifyAsync(identity.Obfuscated, identity.Simple, 8);
            log.Add($"{v.Name} {sw.ElapsedMilliseconds} {identity.Obfuscated}");
        }

        Assert.Fail(string.Join("\n", log));
    }
}
