using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProofAgent.Provers.Processes;

/// <summary>
/// Successful prover probes kept on disk between processes, so that a new <c>agent check</c> does not hash the prover's
/// binaries (about 50 MB for Coq) and start a sandboxed <c>--version</c> again before its first real step.
/// <para>
/// An entry answers only while every executable it was probed with has the same resolved path, device, inode, size,
/// modification time and status-change time (<c>ctime</c>, which no user can set back) as then: an upgraded, replaced,
/// rewritten or re-touched binary is probed again, so the identity a result carries is still that of the binary that
/// runs. Where that stamp cannot be read (no <c>statx</c>), nothing is kept. The file is a cache, never a source of truth:
/// unreadable, foreign, oversized or malformed content is ignored and replaced.
/// </para>
/// </summary>
public sealed partial class PersistentProbes
{
    /// <summary>Larger files are not read: a cache of a few probes is a few kilobytes.</summary>
    private const long MaxFileBytes = 1 << 20;

    private const int MaxEntries = 64;
    private const int Format = 1;
    private static readonly Lock WriteLock = new();

    public PersistentProbes(string file)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        File = Path.GetFullPath(file);
    }

    /// <summary>The cache file.</summary>
    public string File { get; }

    /// <summary>
    /// The cache file for this user: <c>probes.json</c> in <c>PROOFAGENT_CACHE_DIR</c>, else in
    /// <c>$XDG_CACHE_HOME/proofagent</c> or <c>~/.cache/proofagent</c>; null when <c>PROOFAGENT_CACHE_DIR</c> is <c>off</c>
    /// or no home folder is known.
    /// </summary>
    public static string? DefaultFile()
    {
        var configured = Environment.GetEnvironmentVariable("PROOFAGENT_CACHE_DIR");
        if (configured is { Length: > 0 })
        {
            return configured.Equals("off", StringComparison.OrdinalIgnoreCase) ? null : Path.Combine(configured, "probes.json");
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (xdg is { Length: > 0 } && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "proofagent", "probes.json");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home.Length > 0 ? Path.Combine(home, ".cache", "proofagent", "probes.json") : null;
    }

    /// <summary>
    /// The executables' files as they are now (links followed), taken before a probe so that a binary swapped while it
    /// runs is stored under its old stamp (and probed again next time); null when one is missing or cannot be stamped.
    /// </summary>
    public static ProbeSnapshot? Snapshot(IReadOnlyList<string> executables)
    {
        ArgumentNullException.ThrowIfNull(executables);
        var stamps = new List<Stamp>(executables.Count);
        foreach (var executable in executables)
        {
            if (ExecutableFingerprint.Of(executable) is not { } fingerprint || StampOf(fingerprint.Path) is not { } stamp)
            {
                return null;
            }

            stamps.Add(stamp);
        }

        return new ProbeSnapshot(stamps);
    }

    /// <summary>The probe stored under <paramref name="key"/> for exactly these files, if any.</summary>
    public ProverAvailability.Available? TryGet(string key, ProbeSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(snapshot);
        var entry = Read().FirstOrDefault(e => e.Key == key && e.Stamps.SequenceEqual(snapshot.Stamps));
        return entry is null ? null : new ProverAvailability.Available(new ProverIdentity(entry.Name, entry.Version, entry.Toolchain), entry.ExecutablePath);
    }

    /// <summary>Stores a successful probe of the files in <paramref name="snapshot"/>; a failure to write is not an error (the next process probes again).</summary>
    public void Put(string key, ProbeSnapshot snapshot, ProverAvailability.Available value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(value);
        if (!OperatingSystem.IsLinux())
        {
            return; // no snapshot is taken elsewhere; the guard tells the analyzer so
        }

        var identity = value.Identity;
        var entry = new Entry(key, snapshot.Stamps, identity.Name, identity.Version, identity.ToolchainHash, value.ExecutablePath);
        lock (WriteLock)
        {
            try
            {
                var entries = Read().Where(e => e.Key != key).Append(entry).TakeLast(MaxEntries).ToList();
                var folder = Path.GetDirectoryName(File)!;
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                // Written aside and renamed over: a reader in another process sees the old file or the new one, never half.
                var temporary = Path.Combine(folder, $".probes-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
                System.IO.File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(new Document(Format, entries), ProbeJson.Default.Document));
                System.IO.File.Move(temporary, File, overwrite: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // A read-only or full cache folder costs the next process a probe, nothing more.
            }
        }
    }

    private List<Entry> Read()
    {
        try
        {
            var info = new FileInfo(File);
            if (!info.Exists || info.Length > MaxFileBytes)
            {
                return [];
            }

            var document = JsonSerializer.Deserialize(System.IO.File.ReadAllBytes(File), ProbeJson.Default.Document);
            return document is { Format: Format, Entries: { } entries } ? [.. entries.Where(IsWellFormed)] : [];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            return [];
        }
    }

    private static bool IsWellFormed(Entry? entry) =>
        entry is { Key: not null, Stamps: not null, Name: not null, Version: not null, ExecutablePath: not null } && entry.Stamps.All(s => s is { Path: not null });

    private static Stamp? StampOf(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // struct statx is the same on every Linux architecture (256 bytes); the offsets are those of linux/stat.h.
        var buffer = new byte[256];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxBasicStats, buffer) != 0)
            {
                return null;
            }
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        var mask = BitConverter.ToUInt32(buffer, 0);
        const uint needed = StatxIno | StatxSize | StatxMtime | StatxCtime;
        if ((mask & needed) != needed)
        {
            return null;
        }

        var device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
        return new Stamp(path, device, BitConverter.ToUInt64(buffer, 32), BitConverter.ToInt64(buffer, 40), Nanoseconds(buffer, 112), Nanoseconds(buffer, 96));

        static long Nanoseconds(byte[] b, int offset) => (BitConverter.ToInt64(b, offset) * 1_000_000_000) + BitConverter.ToUInt32(b, offset + 8);
    }

    private const int AtFdCwd = -100;
    private const uint StatxMtime = 0x40;
    private const uint StatxCtime = 0x80;
    private const uint StatxIno = 0x100;
    private const uint StatxSize = 0x200;
    private const uint StatxBasicStats = 0x7ff;

    // DllImport rather than LibraryImport: the source-generated stub would need unsafe code in this project.
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

    /// <summary>One executable's file as it was probed.</summary>
    public sealed record Stamp(string Path, ulong Device, ulong Inode, long Size, long ModifiedNs, long ChangedNs);

    internal sealed record Entry(string Key, IReadOnlyList<Stamp> Stamps, string Name, string Version, string? Toolchain, string ExecutablePath);

    internal sealed record Document(int Format, IReadOnlyList<Entry>? Entries);

    [JsonSerializable(typeof(Document))]
    [JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
    internal sealed partial class ProbeJson : JsonSerializerContext;
}

/// <summary>The files of a probe's executables at one moment (<see cref="PersistentProbes.Snapshot"/>).</summary>
public sealed class ProbeSnapshot
{
    internal ProbeSnapshot(IReadOnlyList<PersistentProbes.Stamp> stamps) => Stamps = stamps;

    public IReadOnlyList<PersistentProbes.Stamp> Stamps { get; }
}
