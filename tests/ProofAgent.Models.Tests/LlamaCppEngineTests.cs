using Microsoft.Extensions.Logging.Abstractions;
using ProofAgent.Models.LlamaCpp;

namespace ProofAgent.Models.Tests;

[Collection(TinyModelCollection.Name)]
public sealed class LlamaCppEngineTests(TinyModelFixture tiny)
{
    private static readonly SamplingOptions Hot = SamplingOptions.Default.WithTemperature(1.5).WithTopP(1.0).WithMaxTokens(24).WithSeed(11);

    [Fact(Timeout = 60_000)]
    public async Task Should_load_the_written_gguf_and_generate_tokens()
    {
        var completions = await tiny.Model.SampleAsync(TinyModelFixture.Prompt, 1, Hot);

        var completion = Assert.Single(completions);
        Assert.Equal(0, completion.Index);
        Assert.Equal(11, completion.Seed);
        Assert.True(completion.CompletionTokens > 0, "no token was generated");
        Assert.True(completion.CompletionTokens <= 24);
        Assert.True(completion.PromptTokens >= 10, $"prompt tokens {completion.PromptTokens}");
        Assert.True(completion.Elapsed > TimeSpan.Zero);
        Assert.True(completion.FinishReason == FinishReason.EndOfSequence || completion.Text.Length > 0);
        Assert.Contains($"vocabulary {TinyGguf.Vocabulary.Count};", ((LlamaCppEngine)tiny.Model.Engine).Description, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Should_be_deterministic_for_a_fixed_seed_and_differ_across_seeds()
    {
        var first = await tiny.Model.SampleAsync(TinyModelFixture.Prompt, 4, Hot);
        var second = await tiny.Model.SampleAsync(TinyModelFixture.Prompt, 4, Hot);
        var other = await tiny.Model.SampleAsync(TinyModelFixture.Prompt, 4, Hot.WithSeed(1234));

        Assert.Equal(first.Select(c => c.Text), second.Select(c => c.Text));
        Assert.Equal(first.Select(c => c.CompletionTokens), second.Select(c => c.CompletionTokens));
        Assert.True(first.Select(c => c.Text).Distinct(StringComparer.Ordinal).Count() > 1, "four seeds gave one text: " + first[0].Text);
        Assert.NotEqual(first.Select(c => c.Text), other.Select(c => c.Text));
    }

    [Fact(Timeout = 60_000)]
    public async Task Should_return_n_completions_with_per_sample_seeds_across_waves()
    {
        // Parallel is 4: ten samples run in three waves.
        var completions = await tiny.Model.SampleAsync(TinyModelFixture.Prompt, 10, Hot.WithSeed(100).WithMaxTokens(8));

        Assert.Equal(10, completions.Count);
        Assert.Equal(Enumerable.Range(0, 10), completions.Select(c => c.Index));
        Assert.Equal(Enumerable.Range(100, 10).Select(i => (long?)i), completions.Select(c => c.Seed));
        Assert.All(completions, c => Assert.True(c.CompletionTokens is > 0 and <= 8));
        Assert.All(completions, c => Assert.True(c.FinishReason != FinishReason.Stop));
    }

    [Fact(Timeout = 60_000)]
    public async Task Should_stop_at_the_token_budget()
    {
        var completions = await tiny.Model.SampleAsync(TinyModelFixture.Prompt, 4, Hot.WithMaxTokens(3));

        Assert.All(completions, c => Assert.True(c.CompletionTokens <= 3));
        Assert.Contains(completions, c => c.FinishReason == FinishReason.Length && c.CompletionTokens == 3);
    }

    [Fact(Timeout = 60_000)]
    public async Task Should_honour_stop_sequences()
    {
        var options = Hot.WithTemperature(0.9).WithMaxTokens(40).WithSeed(3);
        var free = (await tiny.Model.SampleAsync(TinyModelFixture.Prompt, 1, options))[0];
        // A two-character piece from the middle of the free text; generation with it as a stop must end right before it.
        var text = free.Text;
        var at = Enumerable.Range(text.Length / 3, Math.Max(0, text.Length - (text.Length / 3) - 2))
            .FirstOrDefault(i => char.IsAsciiLetterOrDigit(text[i]) && char.IsAscii(text[i + 1]) && text[i + 1] != '\uFFFD', -1);
        Assert.True(at >= 0, $"no ASCII piece in the free text '{text}'");
        var stop = text.Substring(at, 2);

        var stopped = (await tiny.Model.SampleAsync(TinyModelFixture.Prompt, 1, options.WithStop(stop, "never-generated-stop")))[0];

        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
        Assert.Equal(text[..text.IndexOf(stop, StringComparison.Ordinal)], stopped.Text);
        Assert.DoesNotContain(stop, stopped.Text, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Should_stream_the_same_text_as_sampling()
    {
        var options = Hot.WithSeed(21).WithMaxTokens(20);
        var sampled = (await tiny.Model.SampleAsync(TinyModelFixture.Prompt, 1, options))[0].Text;

        var chunks = new List<string>();
        await foreach (var chunk in tiny.Model.Engine.StreamAsync(TinyModelFixture.Prompt, options, CancellationToken.None))
        {
            chunks.Add(chunk);
        }

        Assert.Equal(sampled, string.Concat(chunks));
        Assert.True(chunks.Count > 1, "streaming delivered everything at once");
    }

    [Fact(Timeout = 60_000)]
    public async Task Should_stop_generating_when_cancelled_and_stay_usable()
    {
        using var cancel = new CancellationTokenSource();
        var chunks = 0;
        var options = Hot.WithMaxTokens(400).WithSeed(5);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var chunk in tiny.Model.Engine.StreamAsync(TinyModelFixture.Prompt, options, cancel.Token))
            {
                if (++chunks == 3)
                {
                    await cancel.CancelAsync();
                }
            }
        });
        Assert.InRange(chunks, 3, 5);

        using var already = new CancellationTokenSource();
        await already.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tiny.Model.SampleAsync(TinyModelFixture.Prompt, 4, options, already.Token));

        // Cancelled from a dedicated thread, not a CancellationTokenSource timer: timer callbacks run on the thread pool,
        // and while parallel test classes keep the pool busy they may fire only after the whole generation is over.
        using var midway = new CancellationTokenSource();
        var started = DateTime.UtcNow;
        var canceller = new Thread(() =>
        {
            Thread.Sleep(50);
            midway.Cancel();
        })
        { IsBackground = true };
        canceller.Start();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tiny.Model.SampleAsync(TinyModelFixture.Prompt, 8, options.WithMaxTokens(480), midway.Token));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));

        var after = await tiny.Model.SampleAsync(TinyModelFixture.Prompt, 2, Hot);
        Assert.Equal(2, after.Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task Should_reject_a_prompt_that_overflows_the_context()
    {
        var error = await Assert.ThrowsAsync<ModelException>(() => tiny.Model.SampleAsync(string.Concat(Enumerable.Repeat("x y ", 200)), 1, Hot.WithMaxTokens(200)));

        Assert.Equal(ModelErrorKind.ContextOverflow, error.Kind);
        Assert.Contains("context length 512", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Should_name_a_missing_or_malformed_model_file()
    {
        var runtime = new LlamaCppRuntime();
        var missing = tiny.NewSpec("missing") with { Path = Path.Combine(tiny.Folder, "nope.gguf") };
        var error = await Assert.ThrowsAsync<ModelException>(() => runtime.LoadAsync(missing, NullLoggerFactory.Instance, CancellationToken.None));
        Assert.Equal(ModelErrorKind.ModelFileMissing, error.Kind);
        Assert.Contains("nope.gguf", error.Message, StringComparison.Ordinal);

        var text = Path.Combine(tiny.Folder, "weights.gguf");
        await File.WriteAllTextAsync(text, "this is a safetensors file, honest");
        error = await Assert.ThrowsAsync<ModelException>(() => runtime.LoadAsync(missing with { Path = text }, NullLoggerFactory.Instance, CancellationToken.None));
        Assert.Equal(ModelErrorKind.BadModelFormat, error.Kind);
        Assert.Contains("not a GGUF file", error.Message, StringComparison.Ordinal);

        // A real GGUF cut in the middle of its tensor data: the header passes, llama.cpp refuses it.
        var truncated = Path.Combine(tiny.Folder, "truncated.gguf");
        var bytes = await File.ReadAllBytesAsync(tiny.ModelPath);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);
        error = await Assert.ThrowsAsync<ModelException>(() => runtime.LoadAsync(missing with { Path = truncated }, NullLoggerFactory.Instance, CancellationToken.None));
        Assert.Equal(ModelErrorKind.BadModelFormat, error.Kind);
        Assert.Contains("llama.cpp could not load", error.Message, StringComparison.Ordinal);
    }
}
