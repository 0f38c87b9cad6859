using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProofAgent.Api;

/// <summary>The JSON style of the service, the CLI's (<c>agent check --json</c>): camelCase, nulls omitted, enums as camelCase strings.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>For request bodies of /v1: unknown fields are errors (a misspelt <c>timeout</c> must not be silently ignored).</summary>
    public static JsonSerializerOptions Strict { get; } = new(Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
