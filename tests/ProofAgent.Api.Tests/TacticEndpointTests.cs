using System.Net;
using System.Text.Json;
using ProofAgent.Models.Tests;

namespace ProofAgent.Api.Tests;

public sealed class TacticEndpointTests
{
    /// <summary>A registry with the tiny GGUF model (real llama.cpp through LLamaSharp) in the tactic-step format.</summary>
    private static string WriteRegistry(string folder)
    {
        TinyGguf.Write(Path.Combine(folder, "tiny.gguf"));
        var path = Path.Combine(folder, "models.json");
        File.WriteAllText(path, """
            {"models": [{"name": "tiny", "runtime": "gguf", "path": "tiny.gguf", "contextLength": 512, "parallel": 4, "threads": 2,
                         "promptFormat": "tactic-step", "sampling": {"temperature": 1.0, "topP": 1.0, "maxTokens": 16, "seed": 7}}]}
            """);
        return path;
    }

    [Fact(Timeout = 120_000)]
    public async Task Generate_speaks_LeanCopilot_external_generator_wire_format()
    {
        var folder = ApiHost.NewFolder();
        var registry = WriteRegistry(folder);
        await using var host = await ApiHost.StartAsync(o => o with { ModelsPath = registry, GenerateSamples = 8 }, folder, deleteFolder: true);

        // Exactly what LeanCopilot's ExternalGenerator sends (LeanCopilot/Models/External.lean, GeneratorRequest: name, input, «prefix»).
        const string request = """{"name":"tiny","input":"n : ℕ\n⊢ n + 0 = n","prefix":""}""";
        using var response = await host.Client.PostAsync("/generate", new StringContent(request, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);

        // GeneratorResponse: {"outputs": [Generation]} with Generation = {"output": String, "score": Float}; nothing else is required.
        using var document = JsonDocument.Parse(text);
        var outputs = document.RootElement.GetProperty("outputs");
        Assert.Equal(JsonValueKind.Array, outputs.ValueKind);
        Assert.NotEmpty(outputs.EnumerateArray());
        var previous = double.MaxValue;
        var total = 0.0;
        foreach (var generation in outputs.EnumerateArray())
        {
            Assert.Equal(["output", "score"], generation.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal(JsonValueKind.String, generation.GetProperty("output").ValueKind);
            Assert.False(string.IsNullOrWhiteSpace(generation.GetProperty("output").GetString()));
            var score = generation.GetProperty("score").GetDouble();
            Assert.InRange(score, 1e-9, 1.0);
            Assert.True(score <= previous, "outputs are sorted by score, highest first");
            previous = score;
            total += score;
        }

        Assert.True(total <= 1.0 + 1e-9);
        Assert.Equal(outputs.GetArrayLength(), outputs.EnumerateArray().Select(g => g.GetProperty("output").GetString()).Distinct(StringComparer.Ordinal).Count());

        // Same request, same seed: the same answer (reproducible sampling).
        using var again = await host.Client.PostAsync("/generate", new StringContent(request, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(text, await again.Content.ReadAsStringAsync());

        // A prefix is forced at the start of every output.
        using var prefixed = await host.Client.PostAsync("/generate", new StringContent("""{"name":"tiny","input":"⊢ True","prefix":"exact"}""", System.Text.Encoding.UTF8, "application/json"));
        using var prefixedDoc = JsonDocument.Parse(await prefixed.Content.ReadAsStringAsync());
        Assert.All(prefixedDoc.RootElement.GetProperty("outputs").EnumerateArray(), g => Assert.StartsWith("exact", g.GetProperty("output").GetString(), StringComparison.Ordinal));

        using var unknown = await host.Client.PostAsync("/generate", new StringContent("""{"name":"gpt4","input":"⊢ True","prefix":null}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var problem = await unknown.Content.ReadAsStringAsync();
        Assert.Contains("\"field\":\"name\"", problem, StringComparison.Ordinal);
        Assert.Contains("known: tiny", problem, StringComparison.Ordinal);
    }

    [RequiresToolsFact("coqc", Timeout = 120_000)]
    public async Task Suggest_ranks_tactics_that_Coq_accepted_first()
    {
        await using var host = await ApiHost.StartAsync();
        using var response = await host.PostJsonAsync("/v1/suggest", new
        {
            language = "coq",
            header = Coq.LiaHeader,
            statement = Coq.Commutativity,
            tactics = new[] { "intros n m" },
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        Assert.True(root.GetProperty("checked").GetBoolean());
        Assert.Contains("n + m = m + n", root.GetProperty("goals")[0].GetString(), StringComparison.Ordinal);
        var suggestions = root.GetProperty("suggestions").EnumerateArray().ToList();
        Assert.NotEmpty(suggestions);
        Assert.Equal("proved", suggestions[0].GetProperty("status").GetString());
        Assert.Contains(suggestions, s => s.GetProperty("tactic").GetString()!.Contains("lia", StringComparison.Ordinal) && s.GetProperty("status").GetString() == "proved");
        var ranks = suggestions.Select(s => s.GetProperty("status").GetString() switch { "proved" => 0, "progress" => 1, _ => 2 }).ToList();
        Assert.Equal(ranks.Order(), ranks);

        // The proved suggestion really proves the theorem: the synchronous check agrees.
        var tactic = suggestions[0].GetProperty("tactic").GetString();
        using var check = await host.PostJsonAsync("/v1/check", new { language = "coq", header = Coq.LiaHeader, statement = Coq.Commutativity, proof = $"Proof. intros n m. {tactic} Qed." });
        Assert.Equal("proved", (await host.JsonAsync(check)).GetProperty("verdict").GetString());

        using var badPrefix = await host.PostJsonAsync("/v1/suggest", new { language = "coq", statement = Coq.Commutativity, tactics = new[] { "intros n m", "frobnicate" } });
        Assert.Equal(HttpStatusCode.BadRequest, badPrefix.StatusCode);
        Assert.Contains("tactics[1]", await badPrefix.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var noModel = await host.PostJsonAsync("/v1/suggest", new { language = "lean4", goal = "⊢ True" });
        Assert.Equal(HttpStatusCode.BadRequest, noModel.StatusCode);
    }
}
