namespace ProofAgent.Models.Tests;

public sealed class ModelConfigurationTests
{
    [Fact]
    public void A_registry_file_parses_into_sorted_specs_with_resolved_paths()
    {
        var configuration = ModelConfiguration.Parse(
            """
            {
              // two runtimes
              "models": [
                { "name": "z-remote", "runtime": "openai", "baseUrl": "http://127.0.0.1:8000/v1", "model": "Goedel-LM/Goedel-Prover-V2-8B",
                  "promptFormat": "goedel-prover-v2", "batching": "n", "timeoutSeconds": 30, "retries": 2 },
                { "name": "a-local", "runtime": "gguf", "path": "weights/dsp.gguf", "contextLength": 8192, "gpuLayers": 99, "parallel": 16,
                  "promptFormat": "deepseek-prover-v2", "sampling": { "temperature": 1.0, "topP": 0.9, "maxTokens": 2048, "seed": 5, "stop": ["<|eot|>"] } },
              ]
            }
            """, "models.json", "/srv/models");

        Assert.Equal(["a-local", "z-remote"], configuration.Models.Select(m => m.Name));
        var local = configuration.Models[0];
        Assert.Equal("/srv/models/weights/dsp.gguf", local.Path);
        Assert.Equal((8192, 99, 16), (local.ContextLength, local.GpuLayers, local.Parallel));
        Assert.Equal(SamplingOptions.Default.WithTemperature(1.0).WithTopP(0.9).WithMaxTokens(2048).WithSeed(5).WithStop("<|eot|>"), local.Sampling);
        var remote = configuration.Models[1];
        Assert.Equal(new Uri("http://127.0.0.1:8000/v1/"), remote.BaseUrl);
        Assert.Equal((OpenAIBatching.N, 2, TimeSpan.FromSeconds(30)), (remote.Batching, remote.Retries, remote.RequestTimeout));
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "\"models\" array")]
    [InlineData("""{"models":[{"runtime":"gguf","path":"a.gguf"}]}""", "models[0] needs the field \"name\"")]
    [InlineData("""{"models":[{"name":"m","runtime":"torch"}]}""", "('m') field \"runtime\" must be")]
    [InlineData("""{"models":[{"name":"m","runtime":"gguf"}]}""", "needs the field \"path\"")]
    [InlineData("""{"models":[{"name":"m","runtime":"openai","baseUrl":"ftp://x","model":"y"}]}""", "\"baseUrl\" must be an http(s) URL")]
    [InlineData("""{"models":[{"name":"m","runtime":"gguf","path":"a","contextLength":-3}]}""", "\"contextLength\" must be an integer in [16, 10000000], got -3")]
    [InlineData("""{"models":[{"name":"m","runtime":"gguf","path":"a","promptFormat":"llama3"}]}""", "\"promptFormat\" must be one of")]
    [InlineData("""{"models":[{"name":"m","runtime":"gguf","path":"a","sampling":{"topP":2}}]}""", "sampling field \"topP\" must be a number")]
    [InlineData("""{"models":[{"name":"m","runtime":"gguf","path":"a","temprature":1}]}""", "unknown field \"temprature\"")]
    [InlineData("""{"models":[{"name":"m","runtime":"gguf","path":"a"},{"name":"m","runtime":"gguf","path":"b"}]}""", "names model 'm' 2 times")]
    public void Bad_registries_are_configuration_errors_naming_the_place(string json, string expected)
    {
        var error = Assert.Throws<ModelException>(() => ModelConfiguration.Parse(json, "models.json", "/tmp"));

        Assert.Equal(ModelErrorKind.Configuration, error.Kind);
        Assert.StartsWith("model registry models.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_model_name_lists_the_configured_ones()
    {
        var configuration = ModelConfiguration.Parse("""{"models":[{"name":"b","runtime":"gguf","path":"b.gguf"},{"name":"a","runtime":"gguf","path":"a.gguf"}]}""", "m.json", "/tmp");
        await using var registry = new ModelRegistry(configuration, []);

        var error = await Assert.ThrowsAsync<ModelException>(() => registry.GetAsync("c"));

        Assert.Contains("configured: a, b", error.Message, StringComparison.Ordinal);
        var runtime = await Assert.ThrowsAsync<ModelException>(() => registry.GetAsync("a"));
        Assert.Contains("runtime 'gguf'", runtime.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sampling_options_are_validated()
    {
        Assert.Equal(ModelErrorKind.InvalidRequest, Assert.Throws<ModelException>(() => SamplingOptions.Default.WithTopP(0).Validate()).Kind);
        Assert.Throws<ModelException>(() => SamplingOptions.Default.WithMaxTokens(0).Validate());
        Assert.Throws<ModelException>(() => SamplingOptions.Default.WithStop("").Validate());
        Assert.Equal(12, SamplingOptions.Default.WithSeed(10).SeedFor(2));
    }
}
