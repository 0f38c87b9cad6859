using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace ProofAgent.Web.Tests;

/// <summary>The committed bundle of the page matches its sources, and the page's own scripts pass their unit tests.</summary>
public sealed class BundleTests
{
    private static string Root => TestPaths.RepositoryRoot;

    /// <summary>
    /// SOURCES.sha256 is what web/playground/build.mjs wrote: the SHA-256 of every input of the bundle. An input edited
    /// without a rebuild (or a bundle edited by hand's sources) fails here, where node is not needed.
    /// </summary>
    [Fact]
    public void The_committed_playground_bundle_is_built_from_its_sources()
    {
        var playground = Path.Combine(Root, "web", "playground");
        // The page (index.html) and examples/ are embedded from where they are, not bundled: they are no inputs.
        var inputs = Directory.EnumerateFiles(Path.Combine(playground, "src"), "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".html", StringComparison.Ordinal))
            .Concat(((string[])["build.mjs", "build.sh", "package.json", "package-lock.json"]).Select(f => Path.Combine(playground, f)))
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        var expected = new StringBuilder();
        foreach (var input in inputs)
        {
            var hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(Root, input)))).ToLowerInvariant();
            expected.Append(hash).Append("  ").Append(input).Append('\n');
        }

        var committed = File.ReadAllText(Path.Combine(Root, "agent", "ProofAgent.Api", "Playground", "Generated", "SOURCES.sha256"));
        Assert.True(expected.ToString() == committed, "the playground bundle is stale: run web/playground/build.sh and commit Playground/Generated\nexpected:\n" + expected + "committed:\n" + committed);
    }

    [RequiresToolsFact("node", Timeout = 180_000)]
    public async Task The_page_scripts_pass_their_unit_tests()
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Path.Combine(Root, "web", "playground"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["--test", "--test-reporter=spec", "test/"])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"node --test failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
    }
}
