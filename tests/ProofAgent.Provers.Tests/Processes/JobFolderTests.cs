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
}
