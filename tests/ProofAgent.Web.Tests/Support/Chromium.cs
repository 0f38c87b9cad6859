using ProofAgent.Provers.Processes;
using PuppeteerSharp;
using PuppeteerSharp.Input;

namespace ProofAgent.Web.Tests.Support;

/// <summary>
/// Debian's headless Chromium (found on PATH; browsers cannot be downloaded here) with a fresh profile, driven over the
/// DevTools protocol by PuppeteerSharp. The flags keep it off the network and away from services this machine lacks.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private readonly string _profile;

    private Chromium(IBrowser browser, string profile)
    {
        Browser = browser;
        _profile = profile;
    }

    public IBrowser Browser { get; }

    public static async Task<Chromium> LaunchAsync()
    {
        var executable = ExecutableLocator.Find("chromium") ?? throw new InvalidOperationException("chromium is not on PATH (`.ci/run` installs it)");
        var profile = Path.Combine(Path.GetTempPath(), "proofagent-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = executable,
            HeadlessMode = HeadlessMode.True,
            UserDataDir = profile,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
            Timeout = 120_000,
            ProtocolTimeout = 300_000,
        });
        return new Chromium(browser, profile);
    }

    /// <summary>Opens <paramref name="url"/> in a new tab of the given size and waits until the page's script has run.</summary>
    public async Task<PlaygroundPage> OpenAsync(Uri url, int width = 1400, int height = 900)
    {
        var page = await Browser.NewPageAsync();
        var playground = new PlaygroundPage(page);
        page.DefaultTimeout = 240_000;
        page.DefaultNavigationTimeout = 120_000;
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = height });
        await page.GoToAsync(url.ToString(), WaitUntilNavigation.Load);
        await page.WaitForSelectorAsync("body[data-ready='true']");
        return playground;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        Browser.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be flushing its profile; a temporary folder left behind is harmless.
        }
    }
}

/// <summary>One console error or uncaught exception of a page, with where it came from.</summary>
public sealed record ConsoleError(string Text, string? Url);

/// <summary>A tab showing the playground, with the console errors and uncaught exceptions it produced.</summary>
public sealed class PlaygroundPage
{
    private readonly List<ConsoleError> _errors = [];

    public PlaygroundPage(IPage page)
    {
        Page = page;
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                lock (_errors)
                {
                    _errors.Add(new ConsoleError(e.Message.Text, e.Message.Location?.URL));
                }
            }
        };
        page.PageError += (_, e) =>
        {
            lock (_errors)
            {
                _errors.Add(new ConsoleError("uncaught: " + e.Message, null));
            }
        };
    }

    public IPage Page { get; }

    /// <summary>The console errors and uncaught exceptions so far.</summary>
    public IReadOnlyList<ConsoleError> ConsoleErrors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>
    /// No console error and no uncaught exception, except those <paramref name="expected"/> accepts (the browser itself
    /// logs every 4xx answer to fetch(), so a test that provokes one names it).
    /// </summary>
    public void AssertNoConsoleErrors(Func<ConsoleError, bool>? expected = null)
    {
        List<ConsoleError> errors;
        lock (_errors)
        {
            errors = [.. _errors.Where(e => expected is null || !expected(e))];
        }

        Assert.True(errors.Count == 0, "console errors:\n" + string.Join("\n", errors.Select(e => $"{e.Text} ({e.Url})")));
    }

    /// <summary>The editor's text, line by line as CodeMirror renders it (every line of a short document is in the DOM).</summary>
    public Task<string> EditorTextAsync() =>
        Page.EvaluateExpressionAsync<string>("[...document.querySelectorAll('#editor .cm-content .cm-line')].map(l => l.textContent).join('\\n')");

    /// <summary>Picks the example whose path under examples/ is <paramref name="path"/> from the menu.</summary>
    public async Task SelectExampleAsync(string path)
    {
        var value = await Page.EvaluateFunctionAsync<string?>("p => [...document.querySelectorAll('#examples option')].find(o => o.title === p)?.value ?? null", path);
        Assert.True(value is not null, $"the examples menu has no {path}");
        await Page.SelectAsync("#examples", value); // fires `change`, which loads the example at once
    }

    /// <summary>Presses a key with Control held (Ctrl+Enter checks, Ctrl+A selects all, ...).</summary>
    public async Task ControlAsync(string key, bool shift = false)
    {
        await Page.Keyboard.DownAsync(Key.Control);
        if (shift)
        {
            await Page.Keyboard.DownAsync(Key.Shift);
        }

        await Page.Keyboard.PressAsync(key);
        if (shift)
        {
            await Page.Keyboard.UpAsync(Key.Shift);
        }

        await Page.Keyboard.UpAsync(Key.Control);
    }

    /// <summary>Waits until <paramref name="selector"/> matches an element whose <c>data-verdict</c> is one of <paramref name="verdicts"/>; returns it.</summary>
    public async Task<string> WaitForVerdictAsync(string selector, params string[] verdicts)
    {
        await Page.WaitForFunctionAsync(
            "(s, vs) => { const e = document.querySelector(s); return e !== null && vs.includes(e.dataset.verdict); }",
            selector,
            verdicts);
        return await Page.EvaluateFunctionAsync<string>("s => document.querySelector(s).dataset.verdict", selector);
    }

    public Task<string> TextAsync(string selector) =>
        Page.EvaluateFunctionAsync<string>("s => document.querySelector(s)?.textContent ?? ''", selector);
}
