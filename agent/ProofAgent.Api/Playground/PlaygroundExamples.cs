using System.Text.Json;
using ProofAgent.Provers;

namespace ProofAgent.Api.Playground;

/// <summary>One entry of the playground's examples menu: a file of the repository's <c>examples/</c>.</summary>
/// <param name="Path">The path below <c>examples/</c>, with forward slashes (<c>coq/add_comm.v</c>).</param>
/// <param name="Group">The menu group: the folder's display name.</param>
/// <param name="Name">The file name.</param>
/// <param name="Language">The API's language id, from the extension.</param>
/// <param name="Text">The file's text.</param>
internal sealed record PlaygroundExample(string Path, string Group, string Name, string Language, string Text);

/// <summary>
/// The examples menu of the playground, read from the <c>examples/</c> files the project embeds (so the page's bundle
/// holds no copy of them) and served as <c>/examples.json</c>, in ordinal order of their paths.
/// </summary>
internal static class PlaygroundExamples
{
    /// <summary>The manifest-resource prefix the project file gives to <c>examples/**</c>.</summary>
    private const string ResourcePrefix = "ProofAgent.Api.Playground.examples/";

    private static readonly Dictionary<string, string> GroupNames = new(StringComparer.Ordinal)
    {
        ["coq"] = "Coq / Rocq",
        ["minif2f-rocq"] = "miniF2F-rocq statements (Prove them)",
        ["smt"] = "SMT-LIB",
        ["lean4"] = "Lean 4",
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<PlaygroundExample> All { get; } = Load();

    /// <summary>The menu as the page reads it (UTF-8 JSON, camelCase).</summary>
    public static byte[] JsonUtf8 { get; } = JsonSerializer.SerializeToUtf8Bytes(All, Json);

    private static PlaygroundExample[] Load()
    {
        var assembly = typeof(PlaygroundExamples).Assembly;
        return
        [
            .. assembly.GetManifestResourceNames()
                .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
                .Select(name => (Resource: name, Path: name[ResourcePrefix.Length..].Replace('\\', '/')))
                .OrderBy(entry => entry.Path, StringComparer.Ordinal)
                .Select(entry =>
                {
                    if (!ProofLanguages.TryFromPath(entry.Path, out var language))
                    {
                        throw new InvalidOperationException($"examples/{entry.Path}: no language of the service has this extension (see ProofAgent.Api.csproj)");
                    }

                    using var stream = assembly.GetManifestResourceStream(entry.Resource)!;
                    using var reader = new StreamReader(stream);
                    var slash = entry.Path.IndexOf('/', StringComparison.Ordinal);
                    var folder = slash < 0 ? "" : entry.Path[..slash];
                    return new PlaygroundExample(
                        entry.Path,
                        GroupNames.GetValueOrDefault(folder, folder),
                        entry.Path[(entry.Path.LastIndexOf('/') + 1)..],
                        language.Id(),
                        reader.ReadToEnd());
                }),
        ];
    }
}
