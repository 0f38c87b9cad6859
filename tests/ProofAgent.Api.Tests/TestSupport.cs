using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ProofAgent.Api;
using ProofAgent.Api.Storage;
using ProofAgent.Models;
using ProofAgent.Models.LlamaCpp;

namespace ProofAgent.Api.Tests;

/// <summary>A real server on 127.0.0.1, a free port, a fresh database; and an HttpClient pointed at it.</summary>
public sealed class ApiHost : IAsyncDisposable
{
    private readonly bool _deleteFolder;

    private ApiHost(ProofApiServer server, ApiOptions options, string folder, bool deleteFolder)
    {
        Server = server;
        Options = options;
        Folder = folder;
        _deleteFolder = deleteFolder;
        Client = new HttpClient { BaseAddress = new Uri(server.Urls[0]), Timeout = TimeSpan.FromMinutes(2) };
    }

    public ProofApiServer Server { get; }

    public ApiOptions Options { get; }

    public string Folder { get; }

    public HttpClient Client { get; }

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "proofagent-api-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>
    /// Starts a server whose database lives in <paramref name="folder"/> (a new one when null). The folder is deleted on
    /// dispose when <paramref name="deleteFolder"/> says so; by default only a folder the host created itself.
    /// </summary>
    public static async Task<ApiHost> StartAsync(Func<ApiOptions, ApiOptions>? configure = null, string? folder = null, bool? deleteFolder = null)
    {
        deleteFolder ??= folder is null;
        folder ??= NewFolder();
        var options = new ApiOptions
        {
            Urls = ["http://127.0.0.1:0"],
            DatabasePath = Path.Combine(folder, "service.db"),
            LogLevel = LogLevel.Warning,
            ModelRuntimes = [new LlamaCppRuntime(), new OpenAICompatibleRuntime()],
        };
        options = configure?.Invoke(options) ?? options;
        try
        {
            var server = await ProofApiServer.StartAsync(options);
            return new ApiHost(server, options, folder, deleteFolder.Value);
        }
        catch when (deleteFolder.Value)
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        if (_deleteFolder)
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body) =>
        Client.PostAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    public async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await JsonAsync(response);
    }

    /// <summary>Polls a job until its status satisfies <paramref name="done"/>.</summary>
    public async Task<JsonElement> WaitForJobAsync(string id, Func<JobStatus, bool> done, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var job = await GetJsonAsync($"/v1/proofs/{id}");
            if (done(JobStatuses.Parse(job.GetProperty("status").GetString()!)))
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {id} still {job.GetProperty("status").GetString()} after {limit}");
            await Task.Delay(100);
        }
    }

    /// <summary>Submits a Coq proof job and returns its id (asserting 202).</summary>
    public async Task<string> SubmitAsync(string statement, double seconds, string header = "")
    {
        using var response = await PostJsonAsync("/v1/proofs", new { language = "coq", header, statement, budget = new { seconds } });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal($"/v1/proofs/{body.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        return body.GetProperty("id").GetString()!;
    }
}

public static class Coq
{
    public const string Commutativity = "Theorem add_comm_api : forall n m : nat, n + m = m + n.";

    public const string CommutativityProof = "Proof. intros n m. lia. Qed.";

    public const string LiaHeader = "Require Import Lia.";

    /// <summary>
    /// True, but beyond the automation (it needs induction) and outside the SMT fragment (a variable exponent), so
    /// neither a proof nor a counterexample ends the job: the search spends its whole budget.
    /// </summary>
    public const string Unprovable = "Theorem hard_api : forall n : nat, n * n * n + n < 2 ^ (n + 5).";

    /// <summary>False (n = 0 breaks it): the SMT oracle refutes it before the search spends anything.</summary>
    public const string False = "Theorem off_by_one_api : forall n : nat, n + 1 = 2 * n.";
}
