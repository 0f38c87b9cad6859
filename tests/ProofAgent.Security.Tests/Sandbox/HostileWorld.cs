using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Processes.Sandbox;
using ProofAgent.Security.Tests.Infrastructure;
using Xunit;

namespace ProofAgent.Security.Tests.Sandbox;

/// <summary>
/// The host an attacker aims at: a "home" outside the temp folder holding a secret Coq source and its compiled library,
/// and an empty folder the attacks try to write into. Both sit beside the test binary (service data, not a job folder).
/// </summary>
public sealed class HostileWorld : IAsyncLifetime
{
    public const string SecretText = "s3cr3t-token-4242";

    private readonly string _root = Path.Combine(AppContext.BaseDirectory, "hostile-" + Guid.NewGuid().ToString("N")[..10]);

    public string Home => Path.Combine(_root, "home");

    public string Outside => Path.Combine(_root, "outside");

    public string SecretSource => Path.Combine(Home, "Secret.v");

    /// <summary>The sandbox as the service builds it; null when bubblewrap cannot run here.</summary>
    public IProcessIsolation? Sandbox { get; private set; }

    public IProcessIsolation Unsandboxed { get; } = new ResourceLimitIsolation();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(Outside);
        await File.WriteAllTextAsync(
            SecretSource,
            $"Require Import String.\nOpen Scope string_scope.\nDefinition secret_value := \"{SecretText}\".\n");
        if (ExecutableLocator.Find("coqc") is not null)
        {
            // Setting up the victim is trusted work: compile the secret library in place, unsandboxed.
            var compiled = await new ProcessRunner(Unsandboxed).RunAsync(
                new ProcessSpec("coqc", ["-q", "-R", Home, "Home", "Secret.v"]) { WorkingDirectory = Home },
                new ProcessLimits(TimeSpan.FromSeconds(60)));
            Assert.True(compiled.ExitCode == 0, "could not compile the planted secret: " + compiled.StandardError);
        }

        if (SandboxAvailability.Current.Works)
        {
            Sandbox = await SandboxFactory.CreateAsync(SandboxPolicy.Default);
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Files that appeared in <see cref="Outside"/>.</summary>
    public IReadOnlyList<string> WrittenOutside() =>
        [.. Directory.EnumerateFileSystemEntries(Outside, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    public void ClearOutside()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(Outside))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }

    /// <summary>
    /// Compiles <paramref name="source"/> with coqc directly (no static scan: the sandbox alone must hold) in a fresh job
    /// folder under the temp folder, which is deleted afterwards.
    /// </summary>
    public static async Task<HostileRun> CompileAsync(IProcessIsolation isolation, string source, ProcessLimits? limits = null)
    {
        var job = Directory.CreateTempSubdirectory("proofagent-sec-job-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(job.FullName, "Hostile.v"), source);
            var outcome = await new ProcessRunner(isolation).RunAsync(
                new ProcessSpec("coqc", ["-q", "Hostile.v"]) { WorkingDirectory = job.FullName },
                limits ?? new ProcessLimits(TimeSpan.FromSeconds(60)) { MemoryBytes = 2L * 1024 * 1024 * 1024 });
            return new HostileRun(outcome, job.FullName);
        }
        finally
        {
            job.Delete(recursive: true);
        }
    }
}

public sealed record HostileRun(ProcessOutcome Outcome, string JobDirectory)
{
    public string Output => Outcome.StandardOutput + "\n" + Outcome.StandardError;
}
