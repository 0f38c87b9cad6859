using System.Globalization;

namespace ProofAgent.Provers.Processes.Sandbox;

/// <summary>Whether prover processes are confined.</summary>
public enum SandboxMode
{
    /// <summary>Every prover process runs in bubblewrap; without a working bwrap the service refuses to check anything.</summary>
    Required,

    /// <summary>
    /// No confinement, only kernel resource limits (<c>--unsafe-no-sandbox</c>). A submitted proof can then read and write
    /// whatever the service's user can. Logged loudly at every start.
    /// </summary>
    UnsafeDisabled,
}

/// <summary>How bubblewrap gets its namespaces.</summary>
public enum SandboxLaunch
{
    /// <summary>Try <see cref="UserNamespace"/>, then (as root) <see cref="PrivilegedDropInside"/>.</summary>
    Auto,

    /// <summary>
    /// bwrap creates a user namespace (<c>--unshare-all --unshare-user --disable-userns</c>). When the service runs as
    /// root it first drops to the sandbox uid with <c>setpriv</c>, so the prover holds no capability and the process cap
    /// counts the sandbox's own processes.
    /// </summary>
    UserNamespace,

    /// <summary>
    /// For root where user namespaces are unavailable (some containers): bwrap mounts as root, and the prover is started
    /// inside by <c>setpriv</c> as the sandbox uid with every capability dropped and <c>no_new_privs</c>.
    /// </summary>
    PrivilegedDropInside,
}

/// <summary>
/// What a sandboxed prover sees and may use. Immutable; derive variants with the <c>With...</c> builders.
/// Documented in docs/SECURITY.md.
/// </summary>
public sealed record SandboxPolicy
{
    public static SandboxPolicy Default { get; } = new();

    public SandboxMode Mode { get; init; } = SandboxMode.Required;

    public SandboxLaunch Launch { get; init; } = SandboxLaunch.Auto;

    /// <summary>The bubblewrap executable (a name on PATH, or a path).</summary>
    public string Bubblewrap { get; init; } = "bwrap";

    /// <summary>
    /// System paths bound read-only when they exist (symlinks such as a merged-/usr <c>/lib</c> are recreated as symlinks).
    /// Only the <c>/etc</c> entries that the dynamic linker and Coq's findlib need: no passwd, no shadow, no service config.
    /// </summary>
    public IReadOnlyList<string> SystemPaths { get; init; } =
    [
        "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
        "/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/ocamlfind.conf", "/etc/findlib.conf",
        "/etc/localtime",
    ];

    /// <summary>
    /// Prover libraries and toolchains bound read-only (an opam switch, a Lean toolchain and Mathlib, an Isabelle
    /// distribution, a folder given to <c>coqc -R</c>). Paths under <c>/usr</c> need no entry. A missing path is logged and skipped.
    /// </summary>
    public IReadOnlyList<string> LibraryPaths { get; init; } = [];

    /// <summary>The only host folders under which a process may be given write access (its job folder lives there).</summary>
    public IReadOnlyList<string> WritableRoots { get; init; } = [Path.GetTempPath()];

    /// <summary>Processes and threads the prover may have at once (RLIMIT_NPROC, counted inside the sandbox's user namespace).</summary>
    public int MaxProcesses { get; init; } = 256;

    /// <summary>Size of the private <c>/tmp</c> (a tmpfs, so writes there count against memory, not disk).</summary>
    public long TmpBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>The user and group a prover runs as when the service runs as root (default <c>nobody</c>).</summary>
    public int SandboxUid { get; init; } = 65534;

    public int SandboxGid { get; init; } = 65534;

    /// <summary>PATH inside the sandbox.</summary>
    public string SearchPath { get; init; } = "/usr/local/bin:/usr/bin:/bin";

    public bool IsDisabled => Mode == SandboxMode.UnsafeDisabled;

    public SandboxPolicy WithMode(SandboxMode mode) => this with { Mode = mode };

    public SandboxPolicy WithLaunch(SandboxLaunch launch) => this with { Launch = launch };

    public SandboxPolicy WithLibraryPaths(params IEnumerable<string> paths) => this with { LibraryPaths = [.. paths] };

    public SandboxPolicy WithMaxProcesses(int processes) => this with { MaxProcesses = processes };

    /// <summary>
    /// The default policy overridden by <c>PROOFAGENT_SANDBOX</c> (<c>bwrap</c> or <c>unsafe-none</c>),
    /// <c>PROOFAGENT_SANDBOX_LIBRARIES</c> (paths separated by <c>:</c>), <c>PROOFAGENT_BWRAP</c> and
    /// <c>PROOFAGENT_SANDBOX_MAX_PROCESSES</c>.
    /// </summary>
    public static SandboxPolicy FromEnvironment() => FromVariables(Environment.GetEnvironmentVariable);

    /// <summary><see cref="FromEnvironment"/> over any variable source (tests). Bad values throw <see cref="FormatException"/> naming the variable.</summary>
    public static SandboxPolicy FromVariables(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var policy = Default;
        switch (variable("PROOFAGENT_SANDBOX"))
        {
            case null or "" or "bwrap" or "required":
                break;
            case "unsafe-none":
                policy = policy.WithMode(SandboxMode.UnsafeDisabled);
                break;
            case var other:
                throw new FormatException($"PROOFAGENT_SANDBOX must be 'bwrap' or 'unsafe-none', got '{other}'");
        }

        if (variable("PROOFAGENT_SANDBOX_LIBRARIES") is { Length: > 0 } libraries)
        {
            policy = policy.WithLibraryPaths(libraries.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        if (variable("PROOFAGENT_BWRAP") is { Length: > 0 } bwrap)
        {
            policy = policy with { Bubblewrap = bwrap };
        }

        if (variable("PROOFAGENT_SANDBOX_MAX_PROCESSES") is { Length: > 0 } processes)
        {
            policy = int.TryParse(processes, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1_000_000
                ? policy.WithMaxProcesses(n)
                : throw new FormatException($"PROOFAGENT_SANDBOX_MAX_PROCESSES must be an integer between 1 and 1000000, got '{processes}'");
        }

        return policy;
    }
}
