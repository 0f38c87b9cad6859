using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using ProofAgent.Models;
using ProofAgent.Models.LlamaCpp;

namespace ProofAgent.Cli.Commands;

/// <summary><c>agent models list|sample|bench</c>: the model registry (see models/README.md).</summary>
internal static class ModelsCommand
{
    private const string BenchPrompt = "theorem mathd_algebra_10 : abs ((120 : ℝ) / 100 * 30 - 130 / 100 * 20) = 10 := by";

    public static Command Create()
    {
        var registry = new Option<string?>("--models")
        {
            Description = $"The model registry JSON file (default: ${ModelConfiguration.EnvironmentVariable}).",
            Recursive = true,
        };
        var command = new Command("models", "List, sample and benchmark the configured language models.") { registry };
        command.Subcommands.Add(CreateList(registry));
        command.Subcommands.Add(CreateSample(registry));
        command.Subcommands.Add(CreateBench(registry));
        return command;
    }

    private static Command CreateList(Option<string?> registry)
    {
        var command = new Command("list", "List the configured models.");
        command.SetHandler((parse, output, _) =>
        {
            var path = ModelConfiguration.Locate(parse.GetValue(registry));
            if (path is null)
            {
                if (output.Json)
                {
                    output.WriteJson(new { configured = false, configuration = (string?)null, models = Array.Empty<object>(), hint = ModelRegistry.Describe() });
                }

                output.Line("No model registry is configured: " + ModelRegistry.Describe() + ".");
                return Task.FromResult(ExitCodes.Success);
            }

            var configuration = Guard(() => ModelConfiguration.Load(path));
            if (output.Json)
            {
                output.WriteJson(new { configured = true, configuration = configuration.SourcePath, models = configuration.Models.Select(Describe) });
            }

            output.Line($"{configuration.Models.Count} model(s) in {configuration.SourcePath}:");
            foreach (var model in configuration.Models)
            {
                output.Line($"  {model.Name,-24} {model.Runtime,-7} {model.PromptFormat,-19} ctx {model.ContextLength,-7} {model.Source}");
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static Command CreateSample(Option<string?> registry)
    {
        var model = new Option<string>("--model") { Description = "The registry name of the model.", Required = true };
        var prompt = new Option<string?>("--prompt") { Description = "The prompt text, sent as is." };
        var promptFile = new Option<string?>("--prompt-file") { Description = "A file holding the prompt text, sent as is." };
        var statement = new Option<string?>("--statement") { Description = "A Lean 4 theorem statement: the prompt is the model's whole-proof format, and each completion's proof is extracted." };
        var goal = new Option<string?>("--goal") { Description = "A goal state: the prompt is the tactic-step format, and each completion's tactic is extracted." };
        var n = new Option<int>("--n") { Description = "Number of samples.", DefaultValueFactory = _ => 4 };
        var sampling = new SamplingArguments();
        var command = new Command("sample", "Draw n completions of a prompt from a configured model.") { model, prompt, promptFile, statement, goal, n };
        sampling.AddTo(command);
        Handle(command, async (parse, output, cancellationToken) =>
        {
            var count = parse.Between(n, 1, 100_000);

            var given = new[] { parse.GetValue(prompt), parse.GetValue(promptFile), parse.GetValue(statement), parse.GetValue(goal) }.Count(v => v is not null);
            if (given != 1)
            {
                throw new UsageException("give exactly one of --prompt, --prompt-file, --statement, --goal");
            }

            await using var models = OpenRegistry(parse.GetValue(registry));
            var name = parse.GetValue(model)!;
            var loaded = await GuardAsync(() => models.GetAsync(name, cancellationToken));
            Func<string, ProofExtraction>? extract = parse.GetValue(statement) is not null ? c => ProofExtractor.ExtractProof(c, TargetLanguage.Lean4)
                : parse.GetValue(goal) is not null ? ProofExtractor.ExtractTactic
                : null;
            var text = parse.GetValue(statement) is { } theorem ? loaded.Format.ProofPrompt(new StatementPrompt(theorem)).Text
                : parse.GetValue(goal) is { } state ? loaded.Format.TacticPrompt(state)
                : parse.GetValue(promptFile) is { } file ? CommandRunner.ReadUserFile(file, "prompt file")
                : parse.GetValue(prompt)!;
            var options = sampling.Apply(parse, loaded.Spec.Sampling);
            var started = Stopwatch.GetTimestamp();
            var completions = await GuardAsync(() => loaded.SampleAsync(text, count, options, cancellationToken));
            var elapsed = Stopwatch.GetElapsedTime(started);
            var tokens = completions.Sum(c => c.CompletionTokens ?? 0);
            if (output.Json)
            {
                output.WriteJson(new
                {
                    model = loaded.Identity.Name,
                    runtime = loaded.Identity.Runtime,
                    source = loaded.Identity.Source,
                    prompt = text,
                    n = count,
                    options = DescribeOptions(options),
                    completions = completions.Select(c => new
                    {
                        index = c.Index,
                        seed = c.Seed,
                        text = c.Text,
                        finishReason = c.FinishReason,
                        promptTokens = c.PromptTokens,
                        completionTokens = c.CompletionTokens,
                        elapsedMs = Math.Round(c.Elapsed.TotalMilliseconds, 1),
                        extracted = extract is null ? null : extract(c.Text) is var e ? new { text = e.Text, reason = e.Reason } : null,
                    }),
                    elapsedMs = Math.Round(elapsed.TotalMilliseconds, 1),
                    completionTokens = tokens,
                    tokensPerSecond = Math.Round(tokens / elapsed.TotalSeconds, 2),
                    samplesPerSecond = Math.Round(count / elapsed.TotalSeconds, 3),
                });
            }

            foreach (var completion in completions)
            {
                output.Line($"--- sample {completion.Index} (seed {completion.Seed?.ToString(CultureInfo.InvariantCulture) ?? "server"}, {completion.CompletionTokens?.ToString(CultureInfo.InvariantCulture) ?? "?"} tokens, {completion.FinishReason})");
                output.Line(completion.Text);
                if (extract?.Invoke(completion.Text) is { } extracted)
                {
                    output.Line(extracted.Found ? "--- extracted:\n" + extracted.Text : "--- nothing extracted: " + extracted.Reason);
                }
            }

            output.Line($"{count} sample(s), {tokens} tokens in {elapsed.TotalSeconds:0.00} s ({tokens / elapsed.TotalSeconds:0.0} tokens/s)");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateBench(Option<string?> registry)
    {
        var model = new Option<string>("--model") { Description = "The registry name of the model.", Required = true };
        var prompt = new Option<string?>("--prompt") { Description = "The prompt (default: a miniF2F statement in the model's whole-proof format)." };
        var n = new Option<int>("--n") { Description = "Samples per round.", DefaultValueFactory = _ => 8 };
        var rounds = new Option<int>("--rounds") { Description = "Measured rounds (after one warm-up round).", DefaultValueFactory = _ => 3 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Tokens per sample.", DefaultValueFactory = _ => 64 };
        var command = new Command("bench", "Measure tokens per second and samples per second of a configured model.") { model, prompt, n, rounds, maxTokens };
        Handle(command, async (parse, output, cancellationToken) =>
        {
            var count = parse.GetValue(n);
            var roundCount = parse.GetValue(rounds);
            var budget = parse.GetValue(maxTokens);
            if (count is < 1 or > 100_000 || roundCount is < 1 or > 1000 || budget is < 1 or > 1_000_000)
            {
                throw new UsageException($"need 1 <= --n <= 100000, 1 <= --rounds <= 1000, 1 <= --max-tokens <= 1000000; got {count}, {roundCount}, {budget}");
            }

            await using var models = OpenRegistry(parse.GetValue(registry));
            var name = parse.GetValue(model)!;
            var loadStarted = Stopwatch.GetTimestamp();
            var loaded = await GuardAsync(() => models.GetAsync(name, cancellationToken));
            var load = Stopwatch.GetElapsedTime(loadStarted);
            var text = parse.GetValue(prompt) ?? (loaded.Format.Id == PromptFormat.TacticStepId
                ? loaded.Format.TacticPrompt("x : ℝ\nh : 2 * x + 3 = 7\n⊢ x = 2")
                : loaded.Format.ProofPrompt(new StatementPrompt(BenchPrompt)).Text);
            // No stop sequences and a fixed seed: every round generates comparable work.
            var options = loaded.Spec.Sampling with { MaxTokens = budget, Stop = [], Seed = 0 };
            output.Line($"{loaded.Identity}: loaded in {load.TotalSeconds:0.00} s; {roundCount} round(s) of {count} x {budget} tokens after a warm-up");
            await GuardAsync(() => loaded.SampleAsync(text, Math.Min(count, 2), options.WithMaxTokens(Math.Min(budget, 8)), cancellationToken));
            var results = new List<(double Seconds, int Tokens, double FirstMs)>();
            for (var round = 0; round < roundCount; round++)
            {
                var started = Stopwatch.GetTimestamp();
                var completions = await GuardAsync(() => loaded.SampleAsync(text, count, options.WithSeed(round * (long)count), cancellationToken));
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var tokens = completions.Sum(c => c.CompletionTokens ?? budget);
                results.Add((seconds, tokens, completions.Min(c => c.Elapsed.TotalMilliseconds)));
                output.Line($"  round {round + 1}: {tokens} tokens in {seconds:0.000} s = {tokens / seconds:0.0} tokens/s, {count / seconds:0.00} samples/s");
            }

            var totalSeconds = results.Sum(r => r.Seconds);
            var totalTokens = results.Sum(r => r.Tokens);
            var summary = new
            {
                model = loaded.Identity.Name,
                runtime = loaded.Identity.Runtime,
                source = loaded.Identity.Source,
                loadSeconds = Math.Round(load.TotalSeconds, 3),
                n = count,
                rounds = roundCount,
                maxTokens = budget,
                parallel = loaded.Spec.Parallel,
                totalTokens,
                totalSeconds = Math.Round(totalSeconds, 3),
                tokensPerSecond = Math.Round(totalTokens / totalSeconds, 2),
                samplesPerSecond = Math.Round(count * roundCount / totalSeconds, 3),
                roundSeconds = results.Select(r => Math.Round(r.Seconds, 3)),
                processorCount = Environment.ProcessorCount,
            };
            if (output.Json)
            {
                output.WriteJson(summary);
            }

            output.Line($"{summary.tokensPerSecond:0.0} tokens/s, {summary.samplesPerSecond:0.00} samples/s ({totalTokens} tokens in {totalSeconds:0.00} s, {Environment.ProcessorCount} CPU(s))");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Sets the handler; a model failure the user cannot fix by changing the command becomes exit code 3 with its message.</summary>
    private static void Handle(Command command, Func<ParseResult, CliOutput, CancellationToken, Task<int>> action) =>
        command.SetHandler(async (parse, output, cancellationToken) =>
        {
            try
            {
                return await action(parse, output, cancellationToken);
            }
            catch (ModelCommandException exception)
            {
                return CommandRunner.Fail(output, ExitCodes.InternalError, "model-" + exception.Kind.ToString().ToLowerInvariant(), exception.Message);
            }
        });

    internal static ModelRegistry OpenRegistry(string? explicitPath)
    {
        var path = ModelConfiguration.Locate(explicitPath)
            ?? throw new UsageException("no model registry is configured: " + ModelRegistry.Describe());
        var configuration = Guard(() => ModelConfiguration.Load(path));
        return new ModelRegistry(configuration, [new LlamaCppRuntime(), new OpenAICompatibleRuntime()], NullLoggerFactory.Instance);
    }

    private static object Describe(ModelSpec model) => new
    {
        name = model.Name,
        runtime = model.Runtime,
        path = model.Path,
        baseUrl = model.BaseUrl?.ToString(),
        servedModel = model.ServedModel,
        contextLength = model.ContextLength,
        promptFormat = model.PromptFormat,
        gpuLayers = model.GpuLayers,
        parallel = model.Parallel,
        sampling = DescribeOptions(model.Sampling),
    };

    private static object DescribeOptions(SamplingOptions options) => new
    {
        temperature = options.Temperature,
        topP = options.TopP,
        topK = options.TopK,
        maxTokens = options.MaxTokens,
        seed = options.Seed,
        stop = options.Stop,
    };

    private static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ModelException exception) when (exception.IsUserError)
        {
            throw new UsageException(exception.Message);
        }
    }

    private static async Task<T> GuardAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (ModelException exception) when (exception.IsUserError)
        {
            throw new UsageException(exception.Message);
        }
        catch (ModelException exception)
        {
            throw new ModelCommandException(exception);
        }
    }

    /// <summary>The sampling flags shared by the commands; each overrides the model's default when given.</summary>
    private sealed class SamplingArguments
    {
        private readonly Option<double?> _temperature = new("--temperature") { Description = "Sampling temperature (0: greedy)." };
        private readonly Option<double?> _topP = new("--top-p") { Description = "Nucleus sampling mass." };
        private readonly Option<int?> _topK = new("--top-k") { Description = "Top-k cut-off (0: off)." };
        private readonly Option<int?> _maxTokens = new("--max-tokens") { Description = "Token budget per sample." };
        private readonly Option<long?> _seed = new("--seed") { Description = "Seed of sample 0; sample i uses seed + i." };
        private readonly Option<string[]> _stop = new("--stop") { Description = "A stop sequence (repeatable).", AllowMultipleArgumentsPerToken = false };

        public void AddTo(Command command)
        {
            command.Options.Add(_temperature);
            command.Options.Add(_topP);
            command.Options.Add(_topK);
            command.Options.Add(_maxTokens);
            command.Options.Add(_seed);
            command.Options.Add(_stop);
        }

        public SamplingOptions Apply(ParseResult parse, SamplingOptions defaults)
        {
            var options = defaults with
            {
                Temperature = parse.GetValue(_temperature) ?? defaults.Temperature,
                TopP = parse.GetValue(_topP) ?? defaults.TopP,
                TopK = parse.GetValue(_topK) ?? defaults.TopK,
                MaxTokens = parse.GetValue(_maxTokens) ?? defaults.MaxTokens,
                Seed = parse.GetValue(_seed) ?? defaults.Seed,
                Stop = parse.GetValue(_stop) is { Length: > 0 } stop ? stop : defaults.Stop,
            };
            return Guard(options.Validate);
        }
    }
}

/// <summary>A model failure the user cannot fix by changing the command (server down, out of memory): exit code 3 with its message.</summary>
internal sealed class ModelCommandException(ModelException inner) : Exception(inner.Message, inner)
{
    public ModelErrorKind Kind { get; } = inner.Kind;
}
