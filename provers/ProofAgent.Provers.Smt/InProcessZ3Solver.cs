using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Z3;

namespace ProofAgent.Provers.Smt;

/// <summary>
/// Z3 in-process through <c>Microsoft.Z3</c>. The package ships no Linux native library, and an older system libz3
/// (Debian 12 has 4.8.12) lacks entry points the 4.12 bindings call, which would crash at the first
/// <see cref="Context"/>. So the native library is probed before any Context exists, and an unusable one yields a clear
/// <c>unavailable</c> answer instead of an <see cref="EntryPointNotFoundException"/>.
/// A <see cref="Context"/> is not thread-safe: each query gets its own, on its own thread, interrupted on cancellation.
/// </summary>
public sealed class InProcessZ3Solver : ISmtSolver
{
    private static readonly Lazy<Z3NativeProbe.Result> Probe = new(Z3NativeProbe.Run);

    public string Name => "z3-inprocess";

    public Task<ProverAvailability> ProbeAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<ProverAvailability>(Probe.Value switch
        {
            { Usable: true } ok => new ProverAvailability.Available(new ProverIdentity(Name, ok.Version ?? "unknown"), ok.Path ?? "libz3"),
            var bad => new ProverAvailability.Missing(Name, bad.Problem ?? "unusable", Z3NativeProbe.InstallHint),
        });

    public async Task<SmtAnswer> CheckSatAsync(SmtQuery query, CancellationToken cancellationToken = default)
    {
        if (await ProbeAsync(cancellationToken) is ProverAvailability.Missing missing)
        {
            return new SmtAnswer.Unavailable(missing.Prover, missing.Reason, missing.InstallHint);
        }

        var completion = new TaskCompletionSource<SmtAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => completion.TrySetResult(Solve(query, cancellationToken)), 64 * 1024 * 1024)
        {
            IsBackground = true,
            Name = "z3-inprocess",
        };
        thread.Start();
        return await completion.Task;
    }

    public async Task<SmtScriptResult> RunScriptAsync(string script, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        // Z3's SMT-LIB parser API reads assertions only, not commands: a whole script is the process solvers' job.
        var answer = await CheckSatAsync(new SmtQuery(StripCommands(script)) { Timeout = timeout, ProduceModel = false }, cancellationToken);
        return answer is SmtAnswer.Unavailable or SmtAnswer.Error
            ? new SmtScriptResult([], string.Empty, TimeSpan.Zero) { Failure = answer }
            : new SmtScriptResult([answer], answer.Name, TimeSpan.Zero);
    }

    private static string StripCommands(string script) =>
        string.Join("\n", SExpr.ParseAll(script)
            .Where(e => e.Head is "declare-const" or "declare-fun" or "define-fun" or "declare-sort" or "define-sort" or "assert")
            .Select(e => e.ToString()));

    private static SmtAnswer Solve(SmtQuery query, CancellationToken cancellationToken)
    {
        try
        {
            using var context = new Context(new Dictionary<string, string> { ["model"] = query.ProduceModel ? "true" : "false" });
            using var registration = cancellationToken.Register(context.Interrupt);
            var solver = query.Logic is null ? context.MkSolver() : context.MkSolver(query.Logic);
            using var parameters = context.MkParams();
            parameters.Add("timeout", (uint)Math.Clamp(query.Timeout.TotalMilliseconds, 1, uint.MaxValue));
            parameters.Add("random_seed", (uint)query.Seed);
            solver.Parameters = parameters;
            solver.Assert(context.ParseSMTLIB2String(query.Script));
            var status = solver.Check();
            cancellationToken.ThrowIfCancellationRequested();
            return status switch
            {
                Status.UNSATISFIABLE => SmtAnswer.Unsat.Instance,
                Status.SATISFIABLE => new SmtAnswer.Sat(query.ProduceModel && solver.Model is { } model ? ReadModel(model) : null),
                _ => solver.ReasonUnknown is "timeout" or "canceled"
                    ? new SmtAnswer.Timeout(query.Timeout)
                    : new SmtAnswer.Unknown(solver.ReasonUnknown ?? "unknown"),
            };
        }
        catch (Z3Exception exception)
        {
            return new SmtAnswer.Error(exception.Message);
        }
    }

    private static SmtModel ReadModel(Model model)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var constant in model.ConstDecls)
        {
            values[constant.Name.ToString()] = model.ConstInterp(constant)?.ToString() ?? "?";
        }

        return new SmtModel(values, model.ToString());
    }
}

/// <summary>Finds the native libz3 the bindings would load and checks that it is recent enough, without creating a Context.</summary>
public static class Z3NativeProbe
{
    public const string InstallHint =
        "Microsoft.Z3 4.12.2 needs a native libz3 >= 4.12 next to the application or on the loader path (e.g. from the z3 4.12 release); " +
        "otherwise use --solver z3 (the z3 process), which works with Debian's z3";

    /// <summary>An entry point added in Z3 4.12 that the 4.12 bindings call when a Context is created.</summary>
    public const string RequiredEntryPoint = "Z3_enable_concurrent_dec_ref";

    public sealed record Result(bool Usable, string? Path, string? Version, string? Problem);

    private delegate void GetVersion(out uint major, out uint minor, out uint build, out uint revision);

    public static Result Run()
    {
        var assembly = typeof(Context).Assembly;
        string? loadedName = null;
        var handle = IntPtr.Zero;
        foreach (var name in new[] { "libz3", "libz3.so", "libz3.so.4" })
        {
            if (NativeLibrary.TryLoad(name, assembly, DllImportSearchPath.SafeDirectories | DllImportSearchPath.AssemblyDirectory, out handle))
            {
                loadedName = name;
                break;
            }
        }

        if (handle == IntPtr.Zero || loadedName is null)
        {
            return new Result(false, null, null, "no native libz3 could be loaded (Microsoft.Z3 ships none for Linux)");
        }

        try
        {
            string? version = null;
            if (NativeLibrary.TryGetExport(handle, "Z3_get_version", out var versionExport))
            {
                var getVersion = Marshal.GetDelegateForFunctionPointer<GetVersion>(versionExport);
                getVersion(out var major, out var minor, out var build, out _);
                version = string.Create(CultureInfo.InvariantCulture, $"{major}.{minor}.{build}");
            }

            if (!NativeLibrary.TryGetExport(handle, RequiredEntryPoint, out _))
            {
                return new Result(false, loadedName, version, $"native {loadedName} is Z3 {version ?? "of unknown version"}, too old for Microsoft.Z3 {BindingsVersion()} (it lacks {RequiredEntryPoint})");
            }

            // The bindings resolve "libz3"; if only the versioned soname exists, they would still fail.
            if (loadedName == "libz3.so.4" && !NativeLibrary.TryLoad("libz3", assembly, null, out _))
            {
                return new Result(false, loadedName, version, "only libz3.so.4 is present; the bindings look for libz3.so");
            }

            return new Result(true, loadedName, version, null);
        }
        finally
        {
            NativeLibrary.Free(handle);
        }
    }

    private static string BindingsVersion() =>
        typeof(Context).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? typeof(Context).Assembly.GetName().Version?.ToString() ?? "?";
}
