using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProofAgent.Provers.Processes.Sandbox;

/// <summary>
/// Runs every process inside bubblewrap: fresh mount, PID, network, IPC, UTS and user namespaces; read-only system
/// folders and prover libraries; a size-capped private <c>/tmp</c>; write access only to the process's job folder (its
/// working directory) and the writable <see cref="ProcessSpec.PathGrants"/>; no view of <c>/root</c>, <c>/home</c>, the
/// service's data, configuration or other jobs; a cleared environment; <c>--die-with-parent</c>. Inside, the kernel
/// resource limits of <see cref="ResourceLimitIsolation"/> (memory, file size, no core dumps) apply, plus a process cap.
/// Build it with <see cref="SandboxFactory"/>, which checks that bwrap really works here.
/// </summary>
public sealed class BubblewrapIsolation : IProcessIsolation
{
    private readonly SandboxPolicy _policy;
    private readonly string _bubblewrap;
    private readonly string? _setpriv;
    private readonly SandboxLaunch _launch;
    private readonly IProcessIsolation _limits;
    private readonly ILogger _logger;
    private readonly bool _root;
    private readonly IReadOnlyList<string> _readOnlyRoots;
    private readonly IReadOnlyList<string> _writableRoots;
    private int _missingLibrariesLogged;

    /// <param name="policy">What the sandbox binds and caps.</param>
    /// <param name="bubblewrap">The full path of bwrap.</param>
    /// <param name="launch">How bwrap gets its namespaces (not <see cref="SandboxLaunch.Auto"/>: the factory resolves it).</param>
    /// <param name="limits">The limits applied inside the sandbox (default <see cref="ResourceLimitIsolation"/>).</param>
    /// <param name="logger">Logs skipped library paths and non-job working folders.</param>
    public BubblewrapIsolation(SandboxPolicy policy, string bubblewrap, SandboxLaunch launch, IProcessIsolation? limits = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (launch == SandboxLaunch.Auto)
        {
            throw new ArgumentException("resolve SandboxLaunch.Auto with SandboxFactory first", nameof(launch));
        }

        _policy = policy;
        _bubblewrap = bubblewrap;
        _launch = launch;
        _limits = limits ?? new ResourceLimitIsolation();
        _logger = logger ?? NullLogger.Instance;
        _root = Environment.IsPrivilegedProcess;
        _setpriv = _root ? ExecutableLocator.Find("setpriv") : null;
        if (_root && _setpriv is null)
        {
            throw new SandboxUnavailableException("the service runs as root and setpriv (util-linux) is missing, so the sandbox cannot drop to an unprivileged user");
        }

        if (launch == SandboxLaunch.PrivilegedDropInside && !_root)
        {
            throw new SandboxUnavailableException("the privileged sandbox launch needs the service to run as root");
        }

        _readOnlyRoots = [.. policy.SystemPaths.Concat(policy.LibraryPaths).Select(Normalize)];
        _writableRoots = [.. policy.WritableRoots.Select(Normalize)];
    }

    public string Name => "bwrap";

    public SandboxPolicy Policy => _policy;

    public SandboxLaunch Launch => _launch;

    public ProcessSpec Apply(ProcessSpec spec, ProcessLimits limits)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(limits);
        var executable = ResolveExecutable(spec.Executable);
        var capped = limits.MaxProcesses is null ? limits with { MaxProcesses = _policy.MaxProcesses } : limits;
        var inner = _limits.Apply(new ProcessSpec(executable, spec.Arguments), capped);

        var args = new List<string>();
        if (_launch == SandboxLaunch.UserNamespace)
        {
            args.AddRange(["--unshare-all", "--unshare-user", "--disable-userns"]);
        }
        else
        {
            args.AddRange(["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]);
        }

        args.AddRange(["--die-with-parent", "--new-session", "--hostname", "proofagent-sandbox"]);
        foreach (var path in _policy.SystemPaths)
        {
            AddSystemPath(args, path);
        }

        args.AddRange(["--proc", "/proc", "--dev", "/dev"]);
        args.AddRange(["--perms", "1777", "--size", _policy.TmpBytes.ToString(CultureInfo.InvariantCulture), "--tmpfs", "/tmp"]);
        foreach (var library in _policy.LibraryPaths.Select(Normalize))
        {
            if (Path.Exists(library))
            {
                args.AddRange(["--ro-bind", library, library]);
            }
            else if (Interlocked.Exchange(ref _missingLibrariesLogged, 1) == 0)
            {
                _logger.LogWarning("Sandbox library path {Path} does not exist; it is not bound", library);
            }
        }

        if (Path.IsPathRooted(executable) && !IsUnder(executable, _readOnlyRoots))
        {
            // A prover outside the bound folders: its binary is visible, its libraries must be configured.
            args.AddRange(["--ro-bind", executable, executable]);
        }

        var grants = new List<PathGrant>();
        string? workingDirectory = null;
        if (spec.WorkingDirectory is { } requested)
        {
            workingDirectory = Normalize(requested);
            var writable = IsStrictlyUnder(workingDirectory, _writableRoots);
            if (!writable)
            {
                _logger.LogInformation("Working folder {Path} is not under the sandbox's writable roots; the prover sees it read-only", workingDirectory);
            }

            grants.Add(new PathGrant(workingDirectory, writable));
        }

        foreach (var grant in spec.PathGrants)
        {
            var path = Normalize(grant.Path);
            if (grant.Writable && !IsStrictlyUnder(path, _writableRoots))
            {
                throw new ArgumentException($"sandbox: writable path '{path}' is not inside a job folder under {string.Join(", ", _writableRoots)}", nameof(spec));
            }

            grants.Add(grant with { Path = path });
        }

        // Parents before children, so that a nested grant is mounted on top of its parent's.
        foreach (var grant in grants.DistinctBy(g => (g.Path, g.Writable)).OrderBy(g => g.Path.Length).ThenBy(g => g.Path, StringComparer.Ordinal))
        {
            if (_root && IsStrictlyUnder(grant.Path, _writableRoots))
            {
                HandOver(grant);
            }

            args.AddRange([grant.Writable ? "--bind" : "--ro-bind", grant.Path, grant.Path]);
        }

        var home = workingDirectory is not null && grants.Any(g => g.Path == workingDirectory && g.Writable) ? workingDirectory : "/tmp";
        args.AddRange(["--chdir", workingDirectory ?? "/tmp"]);
        args.AddRange(["--clearenv", "--setenv", "PATH", _policy.SearchPath, "--setenv", "HOME", home, "--setenv", "TMPDIR", "/tmp", "--setenv", "LANG", "C.UTF-8"]);
        foreach (var (name, value) in spec.Environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (value is not null)
            {
                args.AddRange(["--setenv", name, value]);
            }
        }

        args.Add("--");
        if (_launch == SandboxLaunch.PrivilegedDropInside)
        {
            args.AddRange([_setpriv!, .. DropArguments(), "--inh-caps=-all", "--bounding-set=-all", "--"]);
        }

        args.Add(inner.Executable);
        args.AddRange(inner.Arguments);

        var sandboxed = spec with
        {
            Executable = _bubblewrap,
            Arguments = args,
            WorkingDirectory = null,
            Environment = new Dictionary<string, string?>(),
            PathGrants = [],
        };
        if (_root && _launch == SandboxLaunch.UserNamespace)
        {
            sandboxed = sandboxed with { Executable = _setpriv!, Arguments = [.. DropArguments(), "--", _bubblewrap, .. args] };
        }

        // --die-with-parent is PR_SET_PDEATHSIG, which fires when the parent *thread* exits. .NET starts processes from
        // thread-pool threads, which retire under load, and bwrap then dies with SIGKILL (exit 137) mid-proof. A shell
        // that forks the sandbox and waits for it is a parent thread that lives exactly as long as the sandbox; killing
        // the process tree on timeout still kills the shell, and with it the sandbox.
        return sandboxed with { Executable = "/bin/sh", Arguments = ["-c", "\"$@\"; exit $?", "sh", sandboxed.Executable, .. sandboxed.Arguments] };
    }

    private IEnumerable<string> DropArguments() =>
    [
        string.Create(CultureInfo.InvariantCulture, $"--reuid={_policy.SandboxUid}"),
        string.Create(CultureInfo.InvariantCulture, $"--regid={_policy.SandboxGid}"),
        "--clear-groups",
        "--no-new-privs",
    ];

    private static void AddSystemPath(List<string> args, string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is { } target)
        {
            args.AddRange(["--symlink", target, path]);
        }
        else if (Path.Exists(path))
        {
            args.AddRange(["--ro-bind", path, path]);
        }
    }

    private static string ResolveExecutable(string executable) =>
        ExecutableLocator.Find(executable) ?? executable;

    /// <summary>
    /// When the service is root, the prover runs as the sandbox user: it must own its writable folder and be able to
    /// traverse the job folder above it. Symbolic links are never followed (a prover may have planted them).
    /// </summary>
    private void HandOver(PathGrant grant)
    {
        var root = _writableRoots.First(r => IsStrictlyUnder(grant.Path, [r]));
        for (var parent = Path.GetDirectoryName(grant.Path); parent is not null && IsStrictlyUnder(parent, [root]); parent = Path.GetDirectoryName(parent))
        {
            Chown(parent);
        }

        if (!grant.Writable)
        {
            return;
        }

        Chown(grant.Path);
        var budget = 10_000;
        var pending = new Stack<string>();
        pending.Push(grant.Path);
        while (pending.Count > 0 && budget > 0)
        {
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(pending.Pop()).EnumerateFileSystemInfos();
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var entry in entries)
            {
                if (--budget <= 0)
                {
                    break;
                }

                Chown(entry.FullName);
                if (entry is DirectoryInfo && entry.LinkTarget is null)
                {
                    pending.Push(entry.FullName);
                }
            }
        }
    }

    private void Chown(string path)
    {
        if (LChown(path, _policy.SandboxUid, _policy.SandboxGid) != 0)
        {
            throw new IOException($"sandbox: cannot hand '{path}' to uid {_policy.SandboxUid}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    private static bool IsUnder(string path, IEnumerable<string> roots) =>
        roots.Any(root => path == root || path.StartsWith(root + "/", StringComparison.Ordinal));

    private static bool IsStrictlyUnder(string path, IEnumerable<string> roots) =>
        roots.Any(root => path.StartsWith(root + "/", StringComparison.Ordinal));

    // DllImport rather than LibraryImport: the source-generated stub would need unsafe code in this project.
    [DllImport("libc", EntryPoint = "lchown", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int LChown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int owner, int group);
}
