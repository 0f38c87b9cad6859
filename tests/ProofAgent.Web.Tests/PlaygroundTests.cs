using System.Net.Http.Json;
using System.Text.Json;
using ProofAgent.Web.Tests.Support;
using PuppeteerSharp;
using PuppeteerSharp.Input;
using Xunit.Abstractions;

namespace ProofAgent.Web.Tests;

/// <summary>
/// The playground in a real browser (Debian's Chromium) against the real <c>agent serve</c> with real Coq: what a
/// person does with the page, waiting on what the page shows (never on fixed sleeps). Every test also fails on a
/// console error or an uncaught exception.
/// </summary>
[Collection("browser")]
public sealed class PlaygroundTests(BrowserHost host, ITestOutputHelper output)
{
    private static readonly string[] FinalCheckVerdicts = ["proved", "failed", "incomplete", "unsound", "timeout", "unavailable", "error"];

    private static readonly string[] FinalJobVerdicts = ["proved", "failed", "incomplete", "unsound", "timeout", "error", "cancelled", "interrupted"];

    [RequiresToolsFact("chromium", "coqc", Timeout = 600_000)]
    public async Task I_can_check_a_Coq_example_and_see_where_a_broken_proof_fails()
    {
        var (server, chromium) = await host.StartAsync();
        var tab = await chromium.OpenAsync(server.Url);
        var page = tab.Page;
        try
        {
            // Lean 4 from the picker: the untouched example gives way to Lean's template, highlighted as Lean.
            await page.SelectAsync("#language", "lean4");
            Assert.StartsWith("theorem example_add_zero", await tab.EditorTextAsync(), StringComparison.Ordinal);
            var lean = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#editor .tok-keyword, #editor .tok-variableName2')].map(e => e.textContent)");
            Assert.Contains("theorem", lean);
            Assert.Contains("simp", lean);

            await tab.SelectExampleAsync("coq/add_comm.v");
            Assert.Equal("coq", await page.EvaluateExpressionAsync<string>("document.querySelector('#language').value"));
            var keywords = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#editor .tok-keyword')].map(e => e.textContent)");
            Assert.Contains("Theorem", keywords);
            Assert.Contains("Qed", keywords);
            var shaded = await page.EvaluateExpressionAsync<string>("[...document.querySelectorAll('#editor .cm-statement')].map(e => e.textContent).join('')");
            Assert.Equal("Theorem add_comm_example : forall n m : nat, n + m = m + n.", shaded);

            // Ctrl+Enter in the editor checks.
            await page.ClickAsync("#editor .cm-content");
            await tab.ControlAsync("Enter");
            Assert.Equal("proved", await tab.WaitForVerdictAsync("#verdict", FinalCheckVerdicts));
            Assert.Equal("forall n m : nat, n + m = m + n", await tab.TextAsync(".theorem[data-name='add_comm_example'] .kernel-statement"));
            Assert.Equal("no axioms", await tab.TextAsync(".theorem[data-name='add_comm_example'] .axioms"));

            // Break line 9 (IH -> IHx) with the keyboard, then check with the button.
            await page.ClickAsync("#editor .cm-content > .cm-line:nth-child(9)");
            await page.Keyboard.PressAsync(Key.End);
            await page.Keyboard.PressAsync(Key.Home);
            await page.Keyboard.DownAsync(Key.Shift);
            await page.Keyboard.PressAsync(Key.End);
            await page.Keyboard.UpAsync(Key.Shift);
            await page.Keyboard.TypeAsync("- rewrite IHx. rewrite Nat.add_succ_r. reflexivity.");
            var line9 = (await tab.EditorTextAsync()).Split('\n')[8];
            Assert.Contains("rewrite IHx.", line9);
            var column = line9.IndexOf("IHx", StringComparison.Ordinal) + 1;

            await page.ClickAsync("#check");
            Assert.Equal("failed", await tab.WaitForVerdictAsync("#verdict", FinalCheckVerdicts));
            Assert.Equal($"line 9, column {column}", await tab.TextAsync(".diagnostic[data-line='9'] .where"));
            Assert.Contains("IHx", await tab.TextAsync(".diagnostic[data-line='9'] .message"));
            var squiggle = await page.EvaluateExpressionAsync<JsonElement>(
                "(() => { const r = document.querySelector('#editor .cm-lintRange-error'); const lines = [...document.querySelectorAll('#editor .cm-content > .cm-line')];" +
                " return r === null ? null : { text: r.textContent, line: lines.indexOf(r.closest('.cm-line')) + 1 }; })()");
            Assert.Equal(JsonValueKind.Object, squiggle.ValueKind);
            Assert.Equal("IHx", squiggle.GetProperty("text").GetString());
            Assert.Equal(9, squiggle.GetProperty("line").GetInt32());

            // A narrow window: one column, nothing wider than the window, the buttons on screen.
            await page.SetViewportAsync(new ViewPortOptions { Width = 400, Height = 800 });
            Assert.True(await page.EvaluateExpressionAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page is wider than a 400 px window");
            Assert.True(await page.EvaluateExpressionAsync<bool>(
                "['#check', '#prove', '#language', '#examples', '#editor'].every(s => { const r = document.querySelector(s).getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth; })"),
                "a control is off screen in a 400 px window");
            await SaveScreenshotAsync(page, "playground-narrow.png");
            tab.AssertNoConsoleErrors();
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [RequiresToolsFact("chromium", "coqc", "z3", Timeout = 600_000)]
    public async Task I_can_prove_a_miniF2F_statement_and_watch_its_trace_arrive_before_the_result()
    {
        var (server, chromium) = await host.StartAsync();
        var tab = await chromium.OpenAsync(server.Url);
        var page = tab.Page;
        try
        {
            await tab.SelectExampleAsync("minif2f-rocq/mathd_algebra_44.v");
            await page.ClickAsync("#budget", new ClickOptions { Count = 3 });
            await page.Keyboard.TypeAsync("300");

            // Record, at every change of the job panel, how many trace events it shows and whether the result is shown.
            await page.EvaluateExpressionAsync(
                "window.arrivals = []; new MutationObserver(() => window.arrivals.push({ events: document.querySelectorAll('#trace .trace-event:not(.trace-status)').length," +
                " result: !document.querySelector('#proof-result').hidden })).observe(document.querySelector('#job-panel'), { subtree: true, childList: true, attributes: true });");
            await page.ClickAsync("#prove");
            Assert.Equal("proved", await tab.WaitForVerdictAsync("#proof-result", FinalJobVerdicts));
            Assert.True(
                await page.EvaluateExpressionAsync<bool>("window.arrivals.some(a => a.events >= 1 && !a.result)"),
                "no trace event was on the page before the result");
            var types = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#trace .trace-event')].map(e => e.dataset.type)");
            Assert.Contains("stageStarted", types);
            Assert.Contains("tacticApplied", types);
            Assert.Contains("stageFinished", types);
            Assert.Equal("completed", await tab.WaitForVerdictAsync("#job-status", "completed"));

            // The proof as a diff against the statement: lines were added, and it ends the proof.
            Assert.True(await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#proof-diff .cm-changedLine').length") >= 1, "the diff marks no added line");
            Assert.Contains("Qed.", await tab.TextAsync("#proof-diff .cm-content"));
            await SaveScreenshotAsync(page, "playground-proved.png");

            // Insert it, and the page's own Check accepts it.
            await page.ClickAsync("#insert-proof");
            var text = await tab.EditorTextAsync();
            Assert.Contains("Theorem mathd_algebra_44", text);
            Assert.Contains("Qed.", text);
            await tab.ControlAsync("Enter");
            Assert.Equal("proved", await tab.WaitForVerdictAsync("#verdict", FinalCheckVerdicts));
            tab.AssertNoConsoleErrors();
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [RequiresToolsFact("chromium", "coqc", "z3", Timeout = 600_000)]
    public async Task I_can_prove_with_a_model_from_the_menu_and_cancel_the_job_while_its_trace_streams()
    {
        var (_, chromium) = await host.StartAsync();
        await using var model = new HeldModelServer();
        await using var server = await AgentServer.StartAsync("--models", model.RegistryPath);
        var tab = await chromium.OpenAsync(server.Url);
        var page = tab.Page;
        try
        {
            // The model comes from /health's list; it takes the request and keeps generating, so the job stays running.
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#model option')].some(o => o.value === 'held-model')");
            await tab.SelectExampleAsync("minif2f-rocq/imo_1959_p1.v");
            await page.SelectAsync("#model", HeldModelServer.ModelName);
            await page.ClickAsync("#budget", new ClickOptions { Count = 3 });
            await page.Keyboard.TypeAsync("600");
            await tab.ControlAsync("Enter", shift: true);

            // Live: the job is running and its trace is on the page (the whole-proof stage has started).
            await page.WaitForFunctionAsync(
                "() => document.querySelector('#job-status').dataset.verdict === 'running' && document.querySelector('#trace .trace-stageStarted') !== null");
            Assert.Contains("whole proofs", await tab.TextAsync("#trace .trace-stageStarted"));
            var id = await page.EvaluateExpressionAsync<string>("document.querySelector('#job-info').dataset.job");
            Assert.False(string.IsNullOrEmpty(id));
            Assert.Contains("model held-model", await tab.TextAsync("#job-info"));

            // Cancel while the model holds the request (the stage can show on the page before the request arrives).
            await model.WaitForRequestAsync(TimeSpan.FromSeconds(60));
            await page.ClickAsync("#cancel");
            Assert.Equal("cancelled", await tab.WaitForVerdictAsync("#proof-result", FinalJobVerdicts));
            Assert.Equal("cancelled", await tab.WaitForVerdictAsync("#job-status", "cancelled"));
            Assert.True(await page.EvaluateExpressionAsync<bool>("document.querySelector('#cancel').hidden && !document.querySelector('#prove').disabled"));

            using var http = new HttpClient { BaseAddress = server.Url };
            var job = await http.GetFromJsonAsync<JsonElement>($"/v1/proofs/{id}");
            Assert.Equal("cancelled", job.GetProperty("status").GetString());
            Assert.Contains(model.Requests, r => r.StartsWith("POST /v1/completions ", StringComparison.Ordinal));
            tab.AssertNoConsoleErrors();
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    /// <summary>
    /// Saves a screenshot next to the test binary; with <c>PROOFAGENT_UPDATE_SCREENSHOT=1</c> also as docs/playground.png
    /// (the picture of the service README, refreshed by hand: a test run must not dirty the checkout).
    /// </summary>
    private async Task SaveScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await page.ScreenshotAsync(path);
        output.WriteLine($"screenshot: {path}");
        if (Environment.GetEnvironmentVariable("PROOFAGENT_UPDATE_SCREENSHOT") == "1")
        {
            File.Copy(path, Path.Combine(TestPaths.RepositoryRoot, "docs", "playground.png"), overwrite: true);
        }
    }
}
