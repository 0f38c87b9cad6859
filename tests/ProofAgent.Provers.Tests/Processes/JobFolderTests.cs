using System.Diagnostics;
using System.Globalization;
using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.Tests.Processes;

public sealed class JobFolderTests
{
    [Fact]
    public void Should_give_each_run_its_own_folder_and_remove_it_with_its_contents()
    {
        string path;
        using (var job = JobFolder.Create("proofagent-jobfolder-test-"))
        using (var other = JobFolder.Create("proofagent-jobfolder-test-"))
        {
            path = job.FullName;
            Assert.NotEqual(path, other.FullName);
            Assert.StartsWith(Path.GetTempPath(), path, StringComparison.Ordinal);
            File.WriteAllText(job.PathOf("Candidate.v"), "Theorem t : True.");
            File.WriteAllText(Path.Combine(job.CreateSubdirectory("audit").FullName, "Audit.v"), "Print Assumptions t.");
        }

        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public void Should_not_throw_when_the_folder_is_already_gone()
    {
        var job = JobFolder.Create("proofagent-jobfolder-test-");
        Directory.Delete(job.FullName);

        job.Dispose(); // logged, not thrown: cleanup never turns a verdict into an error
    }

    [Fact]
    public void Should_name_each_folder_after_the_process_that_owns_it()
    {
        using var job = JobFolder.Create("proofagent-jobfolder-test-");

        Assert.Matches($@"^proofagent-jobfolder-test-[0-9]+\.{Environment.ProcessId}\.[0-9]+-", job.Directory.Name);
        Assert.Throws<ArgumentException>(() => JobFolder.Create("coq-"));
    }

    [Fact]
    public void Should_sweep_only_the_folders_whose_owner_has_exited()
    {
        var root = Directory.CreateTempSubdirectory("jobfolder-sweep-test-");
        try
        {
            // This process's stamp (pid namespace, pid, start time), as the folder names carry it.
            var live = JobFolder.OwnedPrefix("proofagent-coq-")["proofagent-coq-".Length..].TrimEnd('-');
            var parts = live.Split('.');
            var (space, pid, start) = (long.Parse(parts[0], CultureInfo.InvariantCulture), parts[1], long.Parse(parts[2], CultureInfo.InvariantCulture));
            using var exited = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
            exited.WaitForExit();

            var kept = new[]
            {
                $"proofagent-coq-{live}-Ab12Cd",                  // the owner runs
                "proofagent-coq-library-Xy34Zw",                  // no owner in the name (an older build's)
                $"other-coq-{space}.{pid}.{start + 1}-Ab12Cd",               // not a job folder
                $"proofagent-coq-{space + 1}.{pid}.{start + 1}-Ab12Cd",      // another pid namespace's: its owner is not ours to judge
                $"proofagent-coq-{space}.{pid}.99999999999999999999-Ab12Cd", // a number out of range
            };
            var swept = new[]
            {
                $"proofagent-coq-{space}.{pid}.{start + 1}-Ab12Cd",             // the same pid, another process: the owner is gone
                $"proofagent-coq-library-{space}.{exited.Id}.{start}-Qr56St",   // a process that has exited
            };
            foreach (var name in kept.Concat(swept))
            {
                File.WriteAllText(Path.Combine(root.CreateSubdirectory(name).FullName, "Candidate.v"), "Theorem t : True.");
            }

            // A link named like a dead owner's folder is not followed, and its target is not touched.
            var target = root.CreateSubdirectory("precious");
            File.WriteAllText(Path.Combine(target.FullName, "keep.txt"), "keep");
            Directory.CreateSymbolicLink(Path.Combine(root.FullName, $"proofagent-coq-{space}.{pid}.{start + 2}-Link99"), target.FullName);

            Assert.Equal(2, JobFolder.SweepAbandoned(root: root.FullName));

            Assert.All(kept, n => Assert.True(Directory.Exists(Path.Combine(root.FullName, n)), n));
            Assert.All(swept, n => Assert.False(Directory.Exists(Path.Combine(root.FullName, n)), n));
            Assert.True(File.Exists(Path.Combine(target.FullName, "keep.txt")));
            Assert.Equal(0, JobFolder.SweepAbandoned(root: root.FullName));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
