using System.Text.Json;
using Microsoft.Data.Sqlite;
using ProofAgent.Agent;
using ProofAgent.Api;
using ProofAgent.Api.Jobs;
using ProofAgent.Api.Storage;
using Xunit;

namespace ProofAgent.Api.Tests;

/// <summary>Statuses and modes are typed in the service; what is stored and served stays the strings it always was.</summary>
public sealed class StoredJobCompatibilityTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("stored-jobs-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void Should_name_every_status_as_it_was_stored_before_and_reject_an_unknown_one_by_name()
    {
        Assert.Equal(["queued", "running", "completed", "failed", "cancelled", "interrupted"], Enum.GetValues<JobStatus>().Select(s => s.Name()));
        Assert.All(Enum.GetValues<JobStatus>(), s => Assert.Equal(s, JobStatuses.Parse(s.Name())));
        Assert.Equal([JobStatus.Completed, JobStatus.Failed, JobStatus.Cancelled, JobStatus.Interrupted], Enum.GetValues<JobStatus>().Where(s => s.IsTerminal()));
        Assert.Contains("'paused'", Assert.Throws<InvalidDataException>(() => JobStatuses.Parse("paused")).Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Should_load_jobs_written_with_the_status_and_mode_strings_and_write_the_same_strings()
    {
        var store = await SqliteJobStore.OpenAsync(Path.Combine(_folder.FullName, "service.db"));
        const string request = """{"language":"coq","header":"","statement":"Theorem t : True.","informalStatement":null,"budgetSeconds":60,"samples":0,"maxProverCalls":100,"model":"m","mode":"agent"}""";
        await using (var connection = new SqliteConnection($"Data Source={store.Path}"))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO jobs({JobRows.JobColumns}) VALUES('old', 'interrupted', 'coq', $request, NULL, 'died', 2, '2026-01-01T00:00:00.0000000+00:00', '2026-01-01T00:00:00.0000000+00:00')";
            insert.Parameters.AddWithValue("$request", request);
            await insert.ExecuteNonQueryAsync();
        }

        var old = await store.GetJobAsync("old");
        var now = DateTimeOffset.UtcNow;
        await store.InsertJobAsync(new JobRecord("new", JobStatus.Queued, "coq", request, null, null, 0, now, now));
        Assert.True(await store.TransitionAsync("new", [JobStatus.Queued], JobStatus.Running));

        Assert.Equal(JobStatus.Interrupted, old!.Status);
        var parsed = JsonSerializer.Deserialize<ProofJobRequest>(old.Request, ApiJson.Options)!;
        Assert.Equal(ProofMode.Agent, parsed.Mode);
        Assert.Contains("\"mode\":\"agent\"", ApiJson.Serialize(parsed), StringComparison.Ordinal);
        Assert.Contains("\"mode\":\"pipeline\"", ApiJson.Serialize(parsed with { Mode = ProofMode.Pipeline }), StringComparison.Ordinal);
        Assert.Equal([JobStatus.Running], (await store.JobsInStatusAsync(JobStatus.Running)).Select(j => j.Status));
        await using (var connection = new SqliteConnection($"Data Source={store.Path}"))
        {
            await connection.OpenAsync();
            await using var select = connection.CreateCommand();
            select.CommandText = "SELECT status FROM jobs WHERE id = 'new'";
            Assert.Equal("running", await select.ExecuteScalarAsync());
        }
    }
}
