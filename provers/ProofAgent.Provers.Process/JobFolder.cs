using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProofAgent.Provers.Processes;

/// <summary>
/// A private scratch folder for one prover run (a fresh temporary directory nothing else writes to), deleted with its
/// contents on dispose. Deletion is best effort: a folder that cannot be removed is logged, never an error of the check.
/// </summary>
public sealed class JobFolder : IDisposable
{
    private readonly ILogger _logger;

    private JobFolder(DirectoryInfo directory, ILogger logger)
    {
        Directory = directory;
        _logger = logger;
    }

    /// <summary>The folder itself.</summary>
    public DirectoryInfo Directory { get; }

    /// <summary>Its absolute path.</summary>
    public string FullName => Directory.FullName;

    /// <summary>Creates a new folder under the system's temporary directory, named <paramref name="prefix"/> plus a random suffix.</summary>
    public static JobFolder Create(string prefix, ILogger? logger = null) =>
        new(System.IO.Directory.CreateTempSubdirectory(prefix), logger ?? NullLogger.Instance);

    /// <summary>The path of <paramref name="name"/> inside the folder.</summary>
    public string PathOf(string name) => Path.Combine(FullName, name);

    public DirectoryInfo CreateSubdirectory(string name) => Directory.CreateSubdirectory(name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(exception, "Could not delete {Directory}", FullName);
        }
    }
}
