using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ProofAgent.Web.Tests.Support;

namespace ProofAgent.Web.Tests;

/// <summary>The page against a server that requires an API key and has one Coq slot: 401 and 429 as a person sees them.</summary>
[Collection("browser")]
public sealed class ApiKeyTests(BrowserHost host)
{
    private const string Key = "web-test-key";

    private static readonly string[] FinalCheckVerdicts = ["proved", "failed", "incomplete", "unsound", "timeout", "unavailable", "error"];

    [RequiresToolsFact("chromium", "coqc", Timeout = 600_000)]
    public async Task I_am_asked_for_the_key_once_and_told_when_to_retry_a_busy_server()
    {
        var (_, chromium) = await host.StartAsync();

        // A registry with one model: the page offers it (nothing here contacts it).
        var registry = Path.Combine(Path.GetTempPath(), "proofagent-web-models-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(registry, """{"models": [{"name": "scripted-prover", "runtime": "openai", "baseUrl": "http://127.0.0.1:9/v1", "model": "m"}]}""");
        await using var server = await AgentServer.StartAsync("--api-key", Key, "--checks-per-prover", "1", "--check-queue", "0", "--models", registry);
        var tab = await chromium.OpenAsync(server.Url);
        var page = tab.Page;
        using var http = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromMinutes(3) };
        http.DefaultRequestHeaders.Add("X-Api-Key", Key);
        try
        {
            // The page itself is public; the server says it needs a key, and a check without one is refused.
            await page.WaitForFunctionAsync("() => document.querySelector('#server-info').textContent.includes('authentication: api-key')");
            Assert.Contains("scripted-prover", await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#model option')].map(o => o.value)"));
            await tab.SelectExampleAsync("coq/add_comm.v");
            await page.ClickAsync("#check");
            Assert.Equal("error", await tab.WaitForVerdictAsync("#verdict", FinalCheckVerdicts));
            var banner = await tab.TextAsync("#banner");
            Assert.Contains("401", banner);
            Assert.Contains("API key", banner);
            Assert.True(await page.EvaluateExpressionAsync<bool>("document.activeElement === document.querySelector('#api-key')"), "the key field does not have the focus after a 401");

            // Entered once (the field has the focus), then kept for the tab's session.
            await page.Keyboard.TypeAsync(Key);
            await page.Keyboard.PressAsync("Tab");
            await page.ClickAsync("#check");
            Assert.Equal("proved", await tab.WaitForVerdictAsync("#verdict", FinalCheckVerdicts));
            Assert.True(await page.EvaluateExpressionAsync<bool>("document.querySelector('#banner').hidden"));
            await page.ReloadAsync();
            await page.WaitForSelectorAsync("body[data-ready='true']");
            Assert.Equal(Key, await page.EvaluateExpressionAsync<string>("document.querySelector('#api-key').value"));

            // Occupy the only Coq slot with a slow check (no check may wait: --check-queue 0), then check something the cache does not hold.
            using var busy = new CancellationTokenSource();
            var slow = http.PostAsJsonAsync(
                "/v1/check",
                new { language = "coq", statement = "Theorem busy_web : True.", proof = "Proof. do 100000000 idtac. exact I. Qed.", timeout = 300 },
                busy.Token);
            await WaitUntilAsync(async () => (await http.GetFromJsonAsync<JsonElement>("/health")).GetProperty("pools").EnumerateArray()
                .Any(p => p.GetProperty("name").GetString() == "check:coq" && p.GetProperty("inUse").GetInt32() == 1));
            await tab.SelectExampleAsync("coq/real_bound.v");
            await page.ClickAsync("#check");
            Assert.Equal("error", await tab.WaitForVerdictAsync("#verdict", FinalCheckVerdicts));
            banner = await tab.TextAsync("#banner");
            Assert.Contains("429", banner);
            Assert.Contains("Retry after 5 s", banner);
            await busy.CancelAsync();
            try
            {
                (await slow).Dispose();
            }
            catch (OperationCanceledException)
            {
                // The slow check was only there to hold the slot.
            }

            // The browser logs each refused fetch itself (seen here, so the console is really watched); nothing else may be there.
            Assert.Contains(tab.ConsoleErrors, e => e.Text.Contains("status of 401", StringComparison.Ordinal));
            tab.AssertNoConsoleErrors(e => e.Url?.EndsWith("/v1/check", StringComparison.Ordinal) == true &&
                (e.Text.Contains("status of 401", StringComparison.Ordinal) || e.Text.Contains("status of 429", StringComparison.Ordinal)));
        }
        finally
        {
            await page.CloseAsync();
            File.Delete(registry);
        }
    }

    [Fact(Timeout = 300_000)]
    public async Task The_page_is_public_and_served_as_built_while_the_api_needs_the_key()
    {
        await using var server = await AgentServer.StartAsync("--api-key", Key);
        using var http = new HttpClient { BaseAddress = server.Url };
        // Each file from its one source: the page from web/playground/src, the bundle from Playground/Generated.
        var page = Path.Combine(TestPaths.RepositoryRoot, "web", "playground", "src", "index.html");
        var bundle = Path.Combine(TestPaths.RepositoryRoot, "agent", "ProofAgent.Api", "Playground", "Generated");
        foreach (var (path, file, type) in new[] { ("/", page, "text/html"), ("/playground.js", Path.Combine(bundle, "playground.js"), "text/javascript"), ("/playground.css", Path.Combine(bundle, "playground.css"), "text/css") })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(await File.ReadAllBytesAsync(file), await response.Content.ReadAsByteArrayAsync());
            Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }

        // The examples menu: every example file in a language of the service, read from examples/ as it is.
        using (var examples = await http.GetAsync("/examples.json"))
        {
            Assert.Equal(HttpStatusCode.OK, examples.StatusCode);
            Assert.Equal("nosniff", examples.Headers.GetValues("X-Content-Type-Options").Single());
            var menu = (await examples.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
            var root = Path.Combine(TestPaths.RepositoryRoot, "examples");
            var expected = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
                .Where(f => f.EndsWith(".v", StringComparison.Ordinal) || f.EndsWith(".smt2", StringComparison.Ordinal) || f.EndsWith(".lean", StringComparison.Ordinal) || f.EndsWith(".thy", StringComparison.Ordinal) || f.EndsWith(".fst", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal);
            Assert.Equal(expected, menu.Select(e => e.GetProperty("path").GetString()));
            foreach (var example in menu)
            {
                Assert.Equal(await File.ReadAllTextAsync(Path.Combine(root, example.GetProperty("path").GetString()!)), example.GetProperty("text").GetString());
            }

            Assert.Equal("coq", menu.Single(e => e.GetProperty("path").GetString() == "coq/add_comm.v").GetProperty("language").GetString());
            Assert.Equal("Coq / Rocq", menu.Single(e => e.GetProperty("path").GetString() == "coq/add_comm.v").GetProperty("group").GetString());
            Assert.Equal("smt", menu.Single(e => e.GetProperty("path").GetString() == "smt/pythagoras_bound.smt2").GetProperty("language").GetString());
        }

        using (var sources = await http.GetAsync("/SOURCES.sha256"))
        {
            Assert.NotEqual(HttpStatusCode.OK, sources.StatusCode); // not embedded: it falls through to the API (401 here)
        }

        using var check = await http.PostAsJsonAsync("/v1/check", new { language = "coq", statement = "Theorem t : True.", proof = "Proof. exact I. Qed." });
        Assert.Equal(HttpStatusCode.Unauthorized, check.StatusCode);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 2 minutes");
            await Task.Delay(100);
        }
    }
}
