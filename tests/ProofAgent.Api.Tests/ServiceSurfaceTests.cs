using System.Net;
using System.Text.Json;

namespace ProofAgent.Api.Tests;

public sealed class ServiceSurfaceTests
{
    [RequiresToolsFact("coqc", Timeout = 120_000)]
    public async Task Health_metrics_and_the_OpenAPI_document_describe_the_service()
    {
        await using var host = await ApiHost.StartAsync();
        var health = await host.GetJsonAsync("/health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        var coq = health.GetProperty("provers").EnumerateArray().Single(p => p.GetProperty("language").GetString() == "coq");
        Assert.True(coq.GetProperty("available").GetBoolean());
        Assert.StartsWith("8.", coq.GetProperty("version").GetString(), StringComparison.Ordinal);
        Assert.Equal("none (loopback only)", health.GetProperty("auth").GetString());
        Assert.Equal(0, health.GetProperty("jobs").GetProperty("running").GetInt32());

        using var check = await host.PostJsonAsync("/v1/check", new { language = "coq", statement = "Theorem t_api : True.", proof = "Proof. exact I. Qed." });
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);

        // The Prometheus exporter publishes on its own schedule; poll briefly.
        string metrics = "";
        for (var i = 0; i < 50 && !metrics.Contains("proofagent_checks", StringComparison.Ordinal); i++)
        {
            metrics = await host.Client.GetStringAsync("/metrics");
            await Task.Delay(200);
        }

        Assert.Contains("proofagent_checks", metrics, StringComparison.Ordinal);
        Assert.Contains("verdict=\"proved\"", metrics, StringComparison.Ordinal);

        using var document = JsonDocument.Parse(await host.Client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/v1/check", "/v1/proofs", "/v1/proofs/{id}", "/v1/proofs/{id}/events", "/generate", "/v1/suggest", "/health" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"the OpenAPI document lacks {path}");
        }

        using var ui = await host.Client.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Equal("text/html", ui.Content.Headers.ContentType?.MediaType);
    }
}
