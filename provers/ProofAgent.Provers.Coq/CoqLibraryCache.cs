using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using ProofAgent.Provers.Processes;

namespace ProofAgent.Provers.Coq;

/// <summary>
/// Compiled statement files and shared headers, by content: every attempt at one problem, every request about the same
/// theorem, asks the checker to compile the same statement, so each is compiled once per checker and its folder reused
/// (read-only) by later checks. The key holds everything the compiled library depends on: the text, its logical name,
/// the libraries it imports (their folders, themselves cache entries), and the Coq identity (version and binaries).
/// The cache lives in this process only (a private temporary folder, deleted on dispose): a folder another process
/// could have written is never trusted. The candidate is never cached: it is always compiled alone, in its own job.
/// </summary>
internal sealed class CoqLibraryCache : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Entry>>> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<JobFolder> _folders = [];
    private readonly ILogger _logger;

    public CoqLibraryCache(ILogger logger)
    {
        _logger = logger;

        // A checker nobody disposed (a test's static one) still leaves no folder behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
    }

    /// <summary>A compiled library's folder, or the outcome of the compilation that failed.</summary>
    public sealed record Entry(string Directory, ProcessOutcome? Failure);

    /// <summary>
    /// The folder where <paramref name="fileName"/> with <paramref name="text"/> was compiled under <paramref name="root"/>;
    /// <paramref name="compile"/> (given the fresh folder, with the file already written) runs on the first request only.
    /// A failed compilation is not kept: the next request compiles again.
    /// </summary>
    public async Task<Entry> GetAsync(
        ProverIdentity coq,
        string root,
        string fileName,
        string text,
        IReadOnlyList<(string Directory, string Root)> imports,
        Func<string, Task<ProcessOutcome>> compile)
    {
        var key = Key(coq, root, fileName, text, imports);
        var lazy = _entries.GetOrAdd(key, _ => new Lazy<Task<Entry>>(() => CompileAsync(fileName, text, compile)));
        var entry = await lazy.Value;
        if (entry.Failure is not null)
        {
            _entries.TryRemove(new KeyValuePair<string, Lazy<Task<Entry>>>(key, lazy));
        }

        return entry;
    }

    public void Dispose()
    {
        _entries.Clear();
        while (_folders.TryTake(out var folder))
        {
            folder.Dispose();
        }
    }

    private async Task<Entry> CompileAsync(string fileName, string text, Func<string, Task<ProcessOutcome>> compile)
    {
        var folder = JobFolder.Create("proofagent-coq-library-", _logger);
        await File.WriteAllTextAsync(folder.PathOf(fileName), text);
        var outcome = await compile(folder.FullName);
        if (outcome.TimedOut || outcome.ExitCode != 0)
        {
            folder.Dispose();
            return new Entry(folder.FullName, outcome);
        }

        _folders.Add(folder);
        return new Entry(folder.FullName, null);
    }

    private static string Key(ProverIdentity coq, string root, string fileName, string text, IReadOnlyList<(string Directory, string Root)> imports)
    {
        var builder = new StringBuilder();
        foreach (var part in new[] { coq.Name, coq.Version, coq.ToolchainHash ?? string.Empty, root, fileName, text }
            .Concat(imports.SelectMany(i => new[] { i.Directory, i.Root })))
        {
            builder.Append(part.Length).Append(':').Append(part).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }
}
