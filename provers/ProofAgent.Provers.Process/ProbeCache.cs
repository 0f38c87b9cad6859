using System.Security.Cryptography;

namespace ProofAgent.Provers.Processes;

/// <summary>
/// What identifies an installed executable without running it: its resolved path (symbolic links followed), size and
/// modification time. A prover upgrade or a swapped binary changes it.
/// </summary>
public sealed record ExecutableFingerprint(string Path, long Length, DateTime LastWriteUtc)
{
    /// <summary>The fingerprint of <paramref name="executable"/> (a name on PATH or a path), or null when it is not there.</summary>
    public static ExecutableFingerprint? Of(string executable)
    {
        if (ExecutableLocator.Find(executable) is not { } found)
        {
            return null;
        }

        var info = new FileInfo(found);
        var target = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
        target.Refresh();
        return target.Exists ? new ExecutableFingerprint(target.FullName, target.Length, target.LastWriteTimeUtc) : null;
    }

    /// <summary>
    /// A short hash of the executables' contents (SHA-256, 16 hex digits), in order: the toolchain part of a
    /// <see cref="ProverIdentity"/>, so that a cached verdict is never served for another binary of the same version.
    /// </summary>
    public static string ContentHash(IEnumerable<ExecutableFingerprint> fingerprints)
    {
        ArgumentNullException.ThrowIfNull(fingerprints);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var fingerprint in fingerprints)
        {
            using var stream = File.OpenRead(fingerprint.Path);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}

/// <summary>
/// A prover probe (<c>--version</c> and the toolchain hash) that is re-run whenever the executables it depends on change
/// on disk, and reused otherwise: every check asks it (a <c>stat</c> per executable), so the identity a result carries,
/// and the verification cache's key with it, is always that of the binary that ran. With a <see cref="PersistentProbes"/>
/// store, a successful probe also outlives the process (under a key that names everything else the probe depends on).
/// </summary>
public sealed class ProbeCache(PersistentProbes? store = null, string? storeKey = null)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (IReadOnlyList<ExecutableFingerprint?> Key, ProverAvailability Value)? _last;

    /// <summary>The cached probe while <paramref name="executables"/> are unchanged, else a fresh <paramref name="probe"/>.</summary>
    public async Task<ProverAvailability> GetAsync(IReadOnlyList<string> executables, Func<Task<ProverAvailability>> probe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executables);
        ArgumentNullException.ThrowIfNull(probe);
        var key = executables.Select(ExecutableFingerprint.Of).ToList();
        if (_last is { } known && known.Key.SequenceEqual(key))
        {
            return known.Value;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } again && again.Key.SequenceEqual(key))
            {
                return again.Value;
            }

            var snapshot = store is not null && storeKey is not null ? PersistentProbes.Snapshot(executables) : null;
            ProverAvailability? value = snapshot is null ? null : store!.TryGet(storeKey!, snapshot);
            if (value is null)
            {
                value = await probe();
                if (snapshot is not null && value is ProverAvailability.Available available)
                {
                    store!.Put(storeKey!, snapshot, available);
                }
            }

            _last = (key, value);
            return value;
        }
        finally
        {
            _gate.Release();
        }
    }
}
