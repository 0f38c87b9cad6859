using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ProofAgent.Api;

namespace ProofAgent.Api.Tests;

public sealed class CheckEndpointTests
{
    [RequiresToolsFact("coqc", Timeout = 120_000)]
    public async Task I_can_check_a_Coq_proof_and_get_the_agent_check_json_then_a_cache_hit()
    {
        await using var host = await ApiHost.StartAsync();
        var request = new { language = "coq", header = Coq.LiaHeader, statement = Coq.Commutativity, proof = Coq.CommutativityProof, timeout = 60 };

        var clock = Stopwatch.StartNew();
        using var first = await host.PostJsonAsync("/v1/check", request);
        var missMs = clock.ElapsedMilliseconds;
        var firstText = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("miss", first.Headers.GetValues("X-Cache").Single());
        var report = await host.JsonAsync(new HttpResponseMessage { Content = new StringContent(firstText) });
        Assert.Equal("proved", report.GetProperty("verdict").GetString());
        Assert.Equal("coq", report.GetProperty("language").GetString());
        Assert.Equal("coq", report.GetProperty("prover").GetProperty("name").GetString());
        Assert.StartsWith("8.", report.GetProperty("prover").GetProperty("version").GetString(), StringComparison.Ordinal);
        Assert.Contains(report.GetProperty("theorems").EnumerateArray(), t => t.GetProperty("name").GetString() == "add_comm_api" && t.GetProperty("verdict").GetString() == "proved");
        Assert.True(report.TryGetProperty("elapsedMs", out _));
        Assert.False(report.TryGetProperty("reason", out _), "a proved report has no reason (nulls are omitted, as in `agent check --json`)");

        clock.Restart();
        using var second = await host.PostJsonAsync("/v1/check", request);
        var hitMs = clock.ElapsedMilliseconds;
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("hit", second.Headers.GetValues("X-Cache").Single());
        Assert.Equal(firstText, await second.Content.ReadAsStringAsync());
        Assert.True(hitMs < missMs, $"the hit ({hitMs} ms) should be faster than the check ({missMs} ms)");

        // A different proof is a different key: checked again, by the prover.
        using var third = await host.PostJsonAsync("/v1/check", request with { proof = "Proof. intros. lia. Qed." });
        Assert.Equal("miss", third.Headers.GetValues("X-Cache").Single());
        var thirdText = await third.Content.ReadAsStringAsync();
        Assert.True(thirdText.Contains("\"verdict\":\"proved\"", StringComparison.Ordinal), thirdText);

        var health = await host.GetJsonAsync("/health");
        Assert.Equal(2, health.GetProperty("cache").GetProperty("entries").GetInt64());
    }

    [RequiresToolsFact("coqc", Timeout = 120_000)]
    public async Task A_proof_of_another_statement_is_unsound_and_a_failing_proof_fails()
    {
        await using var host = await ApiHost.StartAsync();

        // The proof text aborts the theorem and redefines it under the requested name with another statement: refused
        // before any prover runs (see CompositionTests for the whole class).
        using var swapped = await host.PostJsonAsync("/v1/check", new
        {
            language = "coq",
            header = "",
            statement = "Theorem goal_api : 2 + 2 = 5.",
            proof = "Abort.\nTheorem goal_api : 2 + 2 = 4.\nProof. reflexivity. Qed.",
        });
        Assert.Equal(HttpStatusCode.BadRequest, swapped.StatusCode);
        Assert.Equal("proof", (await host.JsonAsync(swapped)).GetProperty("field").GetString());

        using var wrong = await host.PostJsonAsync("/v1/check", new { language = "coq", statement = "Theorem bad_api : 1 = 2.", proof = "Proof. reflexivity. Qed." });
        var report = await host.JsonAsync(wrong);
        Assert.Equal("failed", report.GetProperty("verdict").GetString());
        Assert.NotEmpty(report.GetProperty("diagnostics").EnumerateArray());
    }

    [Fact(Timeout = 60_000)]
    public async Task Bad_input_gets_a_400_problem_naming_the_field()
    {
        await using var host = await ApiHost.StartAsync(o => o.WithLimits(o.Limits.WithMaxBodyBytes(4096).WithMaxStatementChars(100).WithMaxCheckTimeoutSeconds(30)));
        var cases = new (object Body, string Field, string Fragment)[]
        {
            (new { language = "cobol", statement = "x", proof = "y" }, "language", "unknown language 'cobol'"),
            (new { statement = "x", proof = "y" }, "language", "'language' is required"),
            (new { language = "coq", proof = "Proof. Qed." }, "statement", "'statement' is required"),
            (new { language = "coq", statement = "Theorem t : True.", proof = "" }, "proof", "'proof' is required"),
            (new { language = "coq", statement = new string('x', 101), proof = "Proof. Qed." }, "statement", "the limit is 100"),
            (new { language = "coq", statement = "Theorem t : True.", proof = "Proof. exact I. Qed.", timeout = 31 }, "timeout", "(0, 30]"),
            (new { language = "coq", statement = "Theorem t : True.", proof = "Proof. exact I. Qed.", timeout = -1 }, "timeout", "got -1"),
            (new { language = "coq", statement = "Theorem t : True.", proof = "Proof. exact I. Qed.", timeoutSeconds = 5 }, "$", "timeoutSeconds"),
            (new { language = "smt", statement = "(check-sat)", proof = "x" }, "proof", "SMT-LIB"),
            (new { language = "coq", statement = "Theorem t : True.", proof = new string('p', 5000) }, "body", "the limit is 4096 bytes"),
        };
        foreach (var (body, field, fragment) in cases)
        {
            using var response = await host.PostJsonAsync("/v1/check", body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{field}: {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await host.JsonAsync(new HttpResponseMessage { Content = new StringContent(text) });
            Assert.Equal(400, problem.GetProperty("status").GetInt32());
            Assert.True(problem.GetProperty("field").GetString()!.StartsWith(field, StringComparison.Ordinal), $"field of {text}");
            Assert.Contains(fragment, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using var notJson = await host.Client.PostAsync("/v1/check", new StringContent("{\"language\": \"coq\", \"statement\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Contains("invalid JSON", await notJson.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var plain = await host.Client.PostAsync("/v1/check", new StringContent("hello", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);
        Assert.Equal("application/problem+json", plain.Content.Headers.ContentType?.MediaType);
        var unsupported = await host.JsonAsync(plain);
        Assert.Equal("Content-Type", unsupported.GetProperty("field").GetString());
        Assert.Contains("got 'text/plain; charset=utf-8'", unsupported.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var budget = await host.PostJsonAsync("/v1/proofs", new { language = "coq", statement = "Theorem t : True.", budget = new { seconds = 1e6 } });
        Assert.Equal(HttpStatusCode.BadRequest, budget.StatusCode);
        Assert.Contains("budget.seconds", await budget.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var model = await host.PostJsonAsync("/v1/proofs", new { language = "coq", statement = "Theorem t : True.", model = "nope" });
        Assert.Equal(HttpStatusCode.BadRequest, model.StatusCode);
        Assert.Contains("model 'nope'", await model.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [RequiresToolsFact("coqc", Timeout = 180_000)]
    public async Task Checks_wait_in_the_bounded_queue_and_only_those_beyond_it_get_429_with_Retry_After()
    {
        await using var host = await ApiHost.StartAsync(o => o.WithCheckQueue(maxQueued: 2, maxWait: TimeSpan.FromMinutes(2)) with { ChecksPerProver = 1, RetryAfterSeconds = 7 });

        // Each check is a distinct key (no cache) and loads the real-number library: the single slot stays busy for a
        // while, two checks wait for it, and the rest find the queue full.
        var slow = Enumerable.Range(0, 6).Select(i => host.PostJsonAsync("/v1/check", new
        {
            language = "coq",
            header = "Require Import Reals Lra.\nOpen Scope R_scope.",
            statement = $"Theorem sat_{i} : forall x : R, x > {i} -> 2 * x > {i}.",
            proof = "Proof. intros x H. lra. Qed.",
        })).ToList();
        var responses = await Task.WhenAll(slow);
        try
        {
            var codes = responses.Select(r => r.StatusCode).ToList();
            Assert.True(codes.Count(c => c == HttpStatusCode.OK) >= 3, $"the running check and the two queued ones are answered: {string.Join(", ", codes)}");
            Assert.Contains(HttpStatusCode.TooManyRequests, codes);
            foreach (var ok in responses.Where(r => r.StatusCode == HttpStatusCode.OK))
            {
                Assert.Equal("proved", (await host.JsonAsync(ok)).GetProperty("verdict").GetString());
            }

            var refused = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
            Assert.Equal("7", refused.Headers.GetValues("Retry-After").Single());
            var problem = await refused.Content.ReadAsStringAsync();
            Assert.Contains("check:coq", problem, StringComparison.Ordinal);
            Assert.Contains("2 checks already wait", problem, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }

        var health = await host.GetJsonAsync("/health");
        var pool = health.GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "check:coq");
        Assert.Equal(1, pool.GetProperty("capacity").GetInt32());
        Assert.Equal(2, pool.GetProperty("maxQueued").GetInt32());
        Assert.Equal(0, pool.GetProperty("queued").GetInt32());
        Assert.True(pool.GetProperty("rejected").GetInt64() >= 1);
    }

    [Fact(Timeout = 60_000)]
    public async Task Api_keys_are_required_when_configured_and_never_optional_off_loopback()
    {
        await using var host = await ApiHost.StartAsync(o => o.WithApiKeys("s3cret-key", "other-key"));
        using var none = await host.PostJsonAsync("/v1/check", new { language = "coq" });
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/v1/proofs/x");
        wrong.Headers.Add("X-Api-Key", "s3cret-kez");
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(wrong)).StatusCode);

        using var header = new HttpRequestMessage(HttpMethod.Get, "/v1/proofs/x");
        header.Headers.Add("X-Api-Key", "s3cret-key");
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.SendAsync(header)).StatusCode);

        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/v1/proofs/x");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "other-key");
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.SendAsync(bearer)).StatusCode);

        // Health and the API documentation stay public.
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/openapi/v1.json")).StatusCode);

        var error = await Assert.ThrowsAsync<ApiConfigurationException>(() => ApiHost.StartAsync(o => o.WithUrls("http://0.0.0.0:0")));
        Assert.Contains("without an API key", error.Message, StringComparison.Ordinal);
    }
}
