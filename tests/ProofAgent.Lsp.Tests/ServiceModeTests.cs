using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using ProofAgent.Api;
using ProofAgent.Lsp.Tests.Support;

namespace ProofAgent.Lsp.Tests;

/// <summary>
/// <c>agent lsp --service URL</c>: diagnostics, proofs (SSE) and the final check all go through a real <c>agent serve</c>
/// (the service, started in this process on loopback, with real Coq); an unreachable service is a diagnostic.
/// </summary>
public sealed class ServiceModeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("proofagent-lsp-service-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [RequiresToolsFact("coqc", "coqidetop.opt", Timeout = 240_000)]
    public async Task Should_check_and_prove_through_the_service()
    {
        await using var service = await ProofApiServer.StartAsync(new ApiOptions
        {
            Urls = ["http://127.0.0.1:0"],
            DatabasePath = Path.Combine(_folder, "service.db"),
            LogLevel = LogLevel.Warning,
        });
        const string text = "Theorem add_zero : forall n : nat, n + 0 = n.\nProof.\nAdmitted.\n";
        var uri = new Uri(Path.Combine(_folder, "z.v")).AbsoluteUri;
        await using var server = await LspServerProcess.StartAsync("--service", service.Urls[0]);
        await server.InitializeAsync();
        await server.OpenAsync(uri, text);
        var diagnostics = (JArray)(await server.DiagnosticsAsync(uri))["diagnostics"]!;
        Assert.True(diagnostics.Count == 1, diagnostics.ToString());
        var hole = (JObject)diagnostics[0];
        Assert.StartsWith("proof incomplete", (string?)hole["message"], StringComparison.Ordinal);

        var result = await server.Rpc.InvokeWithParameterObjectAsync<JObject>("workspace/executeCommand", new JObject
        {
            ["command"] = "proofagent.prove",
            ["arguments"] = new JArray(new JObject { ["uri"] = uri, ["theorem"] = "add_zero" }),
        });
        Assert.True((string?)result["verdict"] == "proved", result.ToString());
        Assert.Contains("found by the service", (string?)result["message"], StringComparison.Ordinal);
        var edit = Assert.Single(server.AppliedEdits);
        var edited = LanguageServerTests.Apply(text, (JArray)edit["edit"]!["documentChanges"]![0]!["edits"]!);
        Assert.DoesNotContain("Admitted", edited, StringComparison.Ordinal);
        Assert.Contains(server.Progress, p => ((string?)p["value"]!["message"] ?? "").Contains("refinement", StringComparison.Ordinal));
        Assert.Equal(0, await server.ShutdownAsync());
    }

    [Fact(Timeout = 120_000)]
    public async Task Should_report_an_unreachable_service_as_a_diagnostic()
    {
        var uri = new Uri(Path.Combine(_folder, "y.v")).AbsoluteUri;
        await using var server = await LspServerProcess.StartAsync("--service", "http://127.0.0.1:9");
        await server.InitializeAsync();
        await server.OpenAsync(uri, "Theorem t : True.\nProof. exact I. Qed.\n");
        var diagnostic = (JObject)Assert.Single((JArray)(await server.DiagnosticsAsync(uri))["diagnostics"]!);
        Assert.Equal(1, (int)diagnostic["severity"]!);
        Assert.Contains("cannot use the service", (string?)diagnostic["message"], StringComparison.Ordinal);
        Assert.Equal(0, await server.ShutdownAsync());
    }
}
