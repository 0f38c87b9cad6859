using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProofAgent.Provers.Processes;

/// <summary>
/// A private scratch folder for one prover run (a fresh temporary directory nothing else writes to), deleted with its
/// contents on dispose. Deletion is best effort: a folder that cannot be removed is logged, never an error of the check.
/// <para>A process that is killed (a timeout of the whole command, a crash, <c>kill -9</c>) never disposes its folders, so
/// each folder's name carries its owner (pid namespace, process id and start time, which a reused process id does not
/// repeat), and
/// <see cref="SweepAbandoned"/> removes the folders whose owner is gone. The name is chosen by this process in the shared
/// temporary directory, outside any job's reach: a prover cannot relabel its own folder.</para>
/// </summary>
public sealed partial class JobFolder : IDisposable
{
    /// <summary>Every folder this class creates starts with this.</summary>
    public const string NamePrefix = "proofagent-";

    private static int s_swept;
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

    /// <summary>
    /// Creates a new folder under the system's temporary directory, named <paramref name="prefix"/> (which starts with
    /// <see cref="NamePrefix"/>), then its owner, then a random suffix.
    /// </summary>
    public static JobFolder Create(string prefix, ILogger? logger = null) =>
        new(System.IO.Directory.CreateTempSubdirectory(OwnedPrefix(prefix)), logger ?? NullLogger.Instance);

    /// <summary>
    /// <paramref name="prefix"/> followed by this process's owner tag: the name under which a folder created by hand
    /// (with <see cref="System.IO.Directory.CreateTempSubdirectory(string)"/>) is swept like a job folder.
    /// </summary>
    public static string OwnedPrefix(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (!prefix.StartsWith(NamePrefix, StringComparison.Ordinal) || !prefix.EndsWith('-'))
        {
            throw new ArgumentException($"a job folder prefix starts with '{NamePrefix}' and ends with '-': '{prefix}'", nameof(prefix));
        }

        return ProcessStamp.Current is { } owner ? $"{prefix}{owner.Tag}-" : prefix;
    }

    /// <summary>
    /// Removes, under <paramref name="root"/> (default: the system's temporary directory), the job folders whose owning
    /// process has exited. Folders of live processes, folders without an owner in their name, links and anything not
    /// named like a job folder are left alone; a folder that cannot be removed (another user's) is skipped. Returns how
    /// many were removed. Safe to run from several processes at once.
    /// </summary>
    public static int SweepAbandoned(ILogger? logger = null, string? root = null)
    {
        logger ??= NullLogger.Instance;
        var removed = 0;
        IEnumerable<DirectoryInfo> candidates;
        try
        {
            candidates = new DirectoryInfo(root ?? Path.GetTempPath()).EnumerateDirectories(NamePrefix + "*");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(exception, "Could not list {Root} for abandoned job folders", root);
            return 0;
        }

        foreach (var folder in candidates)
        {
            var match = OwnedName().Match(folder.Name);
            if (!match.Success || folder.LinkTarget is not null)
            {
                continue;
            }

            if (!long.TryParse(match.Groups["ns"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var space)
                || !int.TryParse(match.Groups["pid"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || !long.TryParse(match.Groups["start"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            {
                continue;
            }

            var owner = new ProcessStamp(space, pid, start);
            if (owner.IsRunning())
            {
                continue;
            }

            try
            {
                folder.Delete(recursive: true);
                removed++;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                logger.LogDebug(exception, "Left the abandoned job folder {Folder}", folder.FullName);
            }
        }

        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} job folders left by processes that were killed", removed);
        }

        return removed;
    }

    /// <summary>
    /// <see cref="SweepAbandoned"/> of the system's temporary directory, once per process, on a background thread (a
    /// host calls it when it starts; it never delays the first check).
    /// </summary>
    public static void SweepAbandonedOnce(ILogger? logger = null)
    {
        if (Interlocked.Exchange(ref s_swept, 1) == 0 && ProcessStamp.Current is not null)
        {
            _ = Task.Run(() => SweepAbandoned(logger));
        }
    }

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

    // The kind (letters and dashes), the owner's pid namespace, pid and start time, the random suffix of CreateTempSubdirectory.
    [GeneratedRegex(@"^proofagent-[a-z-]*?-(?<ns>[0-9]{1,19})\.(?<pid>[0-9]{1,9})\.(?<start>[0-9]{1,19})-[A-Za-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex OwnedName();
}
