using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.Tests.Processes;

/// <summary>
/// A probe kept on disk answers a new process only while the binaries it names are the same files, byte for byte as far
/// as the file system can tell (inode, size, modification and status-change times): the identity a result carries must
/// never be that of a binary that is no longer there.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // statx and Unix file modes; the service runs on Linux
public sealed class PersistentProbesTests : IDisposable
{
    private static readonly ProverAvailability.Available Probed = new(new ProverIdentity("tool", "1.2.3", "0123456789abcdef"), "/opt/tool");

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("proofagent-probes-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void Should_answer_a_new_store_on_the_same_file_while_the_executable_is_unchanged()
    {
        var tool = Install("tool", "first");
        var file = Path.Combine(_folder.FullName, "cache", "probes.json");
        new PersistentProbes(file).Put("key", Snapshot(tool), Probed);

        var again = new PersistentProbes(file).TryGet("key", Snapshot(tool));

        Assert.Equal(Probed, again);
        Assert.Null(new PersistentProbes(file).TryGet("another key", Snapshot(tool)));
    }

    [Fact]
    public void Should_probe_again_after_the_executable_is_rewritten_even_with_its_old_size_and_modification_time()
    {
        var tool = Install("tool", "first");
        var store = new PersistentProbes(Path.Combine(_folder.FullName, "probes.json"));
        var modified = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc); // whole seconds: restored exactly below
        File.SetLastWriteTimeUtc(tool, modified);
        store.Put("key", Snapshot(tool), Probed);

        // Same length, same mtime: only the status-change time (which no user can set back) tells the files apart. The
        // pause lets the kernel's coarse clock move on, as it has between an install and any later rewrite.
        Thread.Sleep(50);
        File.WriteAllText(tool, Script("other"));
        File.SetLastWriteTimeUtc(tool, modified);

        Assert.Null(store.TryGet("key", Snapshot(tool)));
    }

    [Fact]
    public void Should_probe_again_after_the_executable_is_replaced_by_another_file()
    {
        var tool = Install("tool", "first");
        var store = new PersistentProbes(Path.Combine(_folder.FullName, "probes.json"));
        store.Put("key", Snapshot(tool), Probed);

        var replacement = Install("replacement", "first"); // the same bytes, another inode
        File.Move(replacement, tool, overwrite: true);

        Assert.Null(store.TryGet("key", Snapshot(tool)));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"format\": 1, \"entries\": [{\"key\": \"key\"}]}")]
    [InlineData("{\"format\": 99, \"entries\": []}")]
    [InlineData("{\"format\": 1, \"entries\": null}")]
    public void Should_ignore_and_replace_a_damaged_cache_file(string content)
    {
        var tool = Install("tool", "first");
        var file = Path.Combine(_folder.FullName, "probes.json");
        File.WriteAllText(file, content);
        var store = new PersistentProbes(file);

        Assert.Null(store.TryGet("key", Snapshot(tool)));
        store.Put("key", Snapshot(tool), Probed);
        Assert.Equal(Probed, new PersistentProbes(file).TryGet("key", Snapshot(tool)));
    }

    [Fact]
    public void Should_take_no_snapshot_of_a_missing_executable()
    {
        Assert.Null(PersistentProbes.Snapshot([Path.Combine(_folder.FullName, "absent")]));
    }

    [RequiresToolsFact("coqc", Timeout = 120_000)]
    public async Task Should_let_a_new_coq_checker_skip_the_probe_until_coqc_changes()
    {
        var log = Path.Combine(_folder.FullName, "probes.log");
        var coqc = Path.Combine(_folder.FullName, "coqc");
        WriteCoqc(coqc, log, "first");
        var options = CoqOptions.Default with { Coqc = coqc, ProbeCacheFile = Path.Combine(_folder.FullName, "probes.json") };
        var runner = new ProcessRunner(new ResourceLimitIsolation());

        var first = await new CoqChecker(options, runner).ProbeAsync();
        var second = await new CoqChecker(options, runner).ProbeAsync();
        var versionRuns = File.ReadAllLines(log).Length;
        WriteCoqc(coqc, log, "second: an upgraded coqc");
        var third = await new CoqChecker(options, runner).ProbeAsync();

        var available = Assert.IsType<ProverAvailability.Available>(first);
        Assert.Equal(first, second);
        Assert.Equal(1, versionRuns);
        Assert.Equal(2, File.ReadAllLines(log).Length);
        Assert.NotEqual(available.Identity, Assert.IsType<ProverAvailability.Available>(third).Identity);
    }

    private static ProbeSnapshot Snapshot(string executable) => PersistentProbes.Snapshot([executable]) ?? throw new InvalidOperationException("no snapshot of " + executable);

    private string Install(string name, string release)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, Script(release));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static string Script(string release) => $"#!/bin/sh\n# {release}\nexit 0\n";

    /// <summary>A coqc that records each run in <paramref name="log"/> and runs the installed one.</summary>
    private static void WriteCoqc(string path, string log, string release)
    {
        var coqc = ExecutableLocator.Find("coqc")!;
        File.WriteAllText(path, $"#!/bin/sh\n# {release}\necho \"$@\" >> '{log}'\nexec {coqc} \"$@\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
