using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using ProofAgent.Provers;

namespace ProofAgent.Benchmarks.Eval;

/// <summary>
/// What one strategy did on one problem. <see cref="Samples"/> whole proofs were drawn and checked, of which
/// <see cref="SamplesCorrect"/> the prover accepted (pass@k's n and c).
/// </summary>
public sealed record AttemptResult(Verdict Verdict, string? Proof, int Samples, int SamplesCorrect, int ProverCalls, long ElapsedMs, string? Detail = null)
{
    [JsonIgnore]
    public bool Proved => Verdict.IsProved;
}

/// <summary>One line of <c>results.jsonl</c>.</summary>
public sealed record ProblemResult(
    string Name,
    string Split,
    string Category,
    Verdict Verdict,
    string? Proof,
    int Attempts,
    int SamplesCorrect,
    int ProverCalls,
    long ElapsedMs,
    string? Error = null)
{
    /// <summary>The fixed-portfolio baseline on the same problem in the same run, when it was asked for.</summary>
    public AttemptResult? Baseline { get; init; }

    [JsonIgnore]
    public bool Proved => Verdict.IsProved;

    /// <summary>pass@1..n of this problem (unbiased estimator over its n = <see cref="Attempts"/> samples), when samples were drawn.</summary>
    public IReadOnlyList<double>? PassAtK => Attempts > 0
        ? [.. Enumerable.Range(1, Attempts).Select(k => ProofAgent.Benchmarks.Eval.PassAtK.Estimate(Attempts, Math.Min(SamplesCorrect, Attempts), k))]
        : null;
}

/// <summary>
/// Verdicts in results.jsonl: their stable name (<c>proved</c>, <c>failed</c>, ...). The closed type lives until this
/// point; a line read back has the verdict's kind (its reasons are in the result's detail fields).
/// </summary>
public sealed class VerdictNameConverter : JsonConverter<Verdict>
{
    public override Verdict Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString() switch
    {
        "proved" => Verdict.Proved.Instance,
        "failed" => new Verdict.Failed("(read back)"),
        "incomplete" => new Verdict.Incomplete([]),
        "unsound" => new Verdict.Unsound([]),
        "timeout" => new Verdict.Timeout(TimeSpan.Zero),
        "unavailable" => new Verdict.Unavailable("", "(read back)", ""),
        "error" => new Verdict.Error("(read back)"),
        var other => throw new JsonException($"unknown verdict '{other}'"),
    };

    public override void Write(Utf8JsonWriter writer, Verdict value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(value.Name);
    }
}

/// <summary>How a batch runs.</summary>
public sealed record EvalOptions(string OutputDirectory)
{
    public int Jobs { get; init; } = 1;

    public int? Limit { get; init; }

    public bool Resume { get; init; }

    public EvalOptions WithJobs(int jobs) => this with { Jobs = jobs };
}

/// <summary>
/// Runs problems in parallel, appends each result to <c>results.jsonl</c> as soon as it is known (so an interrupted run
/// resumes where it stopped), and isolates failures: an exception in one problem becomes that problem's <c>error</c> line.
/// </summary>
public sealed class EvalRunner(EvalOptions options)
{
    public const string ResultsFile = "results.jsonl";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new VerdictNameConverter() },
    };

    /// <summary>The results already in <c>DIR/results.jsonl</c>, keyed by split/name (the last line wins).</summary>
    public static Dictionary<string, ProblemResult> ReadResults(string directory)
    {
        var results = new Dictionary<string, ProblemResult>(StringComparer.Ordinal);
        var path = Path.Combine(directory, ResultsFile);
        if (!File.Exists(path))
        {
            return results;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                var result = JsonSerializer.Deserialize<ProblemResult>(line, Json);
                if (result is not null)
                {
                    results[Key(result.Split, result.Name)] = result;
                }
            }
            catch (JsonException)
            {
                // A line cut by a crash: the problem is simply run again.
            }
        }

        return results;
    }

    /// <summary>
    /// Runs <paramref name="solve"/> (and <paramref name="baseline"/>, when given) on every problem not done yet.
    /// Returns every result of the directory, old and new, in problem order.
    /// </summary>
    public async Task<IReadOnlyList<ProblemResult>> RunAsync(
        IReadOnlyList<BenchmarkProblem> problems,
        Func<BenchmarkProblem, CancellationToken, Task<AttemptResult>> solve,
        Func<BenchmarkProblem, CancellationToken, Task<AttemptResult>>? baseline = null,
        Action<ProblemResult>? onResult = null,
        CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(options.OutputDirectory);
        var selected = options.Limit is { } limit ? problems.Take(limit).ToList() : problems.ToList();
        var resultsPath = Path.Combine(options.OutputDirectory, ResultsFile);
        if (!options.Resume && File.Exists(resultsPath))
        {
            File.Delete(resultsPath);
        }

        var done = options.Resume ? ReadResults(options.OutputDirectory) : [];
        var todo = selected.Where(p => !done.ContainsKey(Key(p.Split, p.Name))).ToList();
        var fresh = new ConcurrentDictionary<string, ProblemResult>(StringComparer.Ordinal);
        using var writeLock = new SemaphoreSlim(1, 1);
        await Parallel.ForEachAsync(
            todo,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Jobs), CancellationToken = cancellationToken },
            async (problem, ct) =>
            {
                var result = await RunOneAsync(problem, solve, baseline, ct);
                fresh[Key(problem.Split, problem.Name)] = result;
                await writeLock.WaitAsync(ct);
                try
                {
                    await File.AppendAllTextAsync(resultsPath, JsonSerializer.Serialize(result, Json) + "\n", ct);
                }
                finally
                {
                    writeLock.Release();
                }

                onResult?.Invoke(result);
            });

        return [.. selected.Select(p => fresh.TryGetValue(Key(p.Split, p.Name), out var r) ? r : done.GetValueOrDefault(Key(p.Split, p.Name))).OfType<ProblemResult>()];
    }

    private static async Task<ProblemResult> RunOneAsync(
        BenchmarkProblem problem,
        Func<BenchmarkProblem, CancellationToken, Task<AttemptResult>> solve,
        Func<BenchmarkProblem, CancellationToken, Task<AttemptResult>>? baseline,
        CancellationToken cancellationToken)
    {
        var main = await IsolatedAsync(problem, solve, cancellationToken);
        var result = new ProblemResult(
            problem.Name, problem.Split, problem.Category, main.Verdict, main.Proof, main.Samples, main.SamplesCorrect, main.ProverCalls, main.ElapsedMs, main.Verdict is Verdict.Error ? main.Detail : null);
        if (baseline is not null)
        {
            result = result with { Baseline = await IsolatedAsync(problem, baseline, cancellationToken) };
        }

        return result;
    }

    private static async Task<AttemptResult> IsolatedAsync(BenchmarkProblem problem, Func<BenchmarkProblem, CancellationToken, Task<AttemptResult>> strategy, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            return await strategy(problem, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Crash isolation: one problem's failure must never stop the batch.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return new AttemptResult(new Verdict.Error($"{exception.GetType().Name}: {exception.Message}"), null, 0, 0, 0, clock.ElapsedMilliseconds, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    private static string Key(string split, string name) => split + "/" + name;
}
