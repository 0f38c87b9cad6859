using System.Diagnostics;

namespace ProofAgent.Cluster.Tests;

/// <summary>`agent serve` in cluster mode refuses bad configurations with exit code 2 and says what was wrong.</summary>
public sealed class StartupTests
{
    [Fact(Timeout = 120_000)]
    public async Task Should_exit_2_naming_the_store_when_it_cannot_be_reached()
    {
        var (code, stderr) = await RunAsync("serve", "--urls", "http://127.0.0.1:0", "--store", "Host=127.0.0.1;Port=1;Database=nowhere;Username=nobody;Timeout=3", "--cluster", "t");
        Assert.Equal(2, code);
        Assert.Contains("cannot use the store 127.0.0.1:1/nowhere (--store)", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Should_exit_2_for_cluster_options_without_a_store_or_an_address_to_advertise()
    {
        var (code, stderr) = await RunAsync("serve", "--cluster", "t");
        Assert.Equal(2, code);
        Assert.Contains("need --store", stderr, StringComparison.Ordinal);

        (code, stderr) = await RunAsync("serve", "--urls", "http://0.0.0.0:0", "--api-key", "k", "--store", "Host=127.0.0.1;Database=x;Username=y");
        Assert.Equal(2, code);
        Assert.Contains("--advertise ADDRESS is required", stderr, StringComparison.Ordinal);

        (code, stderr) = await RunAsync("serve", "--store", "Host=127.0.0.1;Nonsense=1");
        Assert.Equal(2, code);
        Assert.Contains("--store is not an Npgsql connection string", stderr, StringComparison.Ordinal);
    }

    internal static async Task<(int Code, string Stderr)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestPaths.RepositoryRoot };
        start.ArgumentList.Add(AgentBinary.Path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await stdout;
        return (process.ExitCode, await stderr);
    }
}
