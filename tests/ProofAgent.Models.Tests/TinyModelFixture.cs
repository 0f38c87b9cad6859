using Microsoft.Extensions.Logging.Abstractions;
using ProofAgent.Models.LlamaCpp;

namespace ProofAgent.Models.Tests;

/// <summary>Writes the tiny GGUF once per test run (in a temp folder) and loads it through the real LLamaSharp runtime.</summary>
public sealed class TinyModelFixture : IAsyncLifetime
{
    public const string Prompt = "theorem foo : 1 + 1 = 2 := by";

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "proofagent-models-tests-" + Environment.ProcessId);

    public string ModelPath => Path.Combine(Folder, "tiny.gguf");

    public LanguageModel Model { get; private set; } = null!;

    public ModelSpec Spec => Model.Spec;

    public ModelSpec NewSpec(string name = "tiny") => new()
    {
        Name = name,
        Runtime = RuntimeNames.Gguf,
        Path = ModelPath,
        ContextLength = 512,
        Parallel = 4,
        Threads = 2,
        PromptFormat = PromptFormat.RawId,
        Sampling = SamplingOptions.Default.WithTemperature(1.0).WithTopP(1.0).WithMaxTokens(24).WithSeed(7),
    };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        TinyGguf.Write(ModelPath);
        var spec = NewSpec();
        var engine = await new LlamaCppRuntime().LoadAsync(spec, NullLoggerFactory.Instance, CancellationToken.None);
        Model = new LanguageModel(spec, engine);
    }

    public async Task DisposeAsync()
    {
        await Model.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TinyModelCollection : ICollectionFixture<TinyModelFixture>
{
    public const string Name = "tiny model";
}
