using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Serialization;
using ProofAgent.Provers;

namespace ProofAgent.Lsp;

/// <summary>
/// The <c>verdict</c> of <see cref="ProveResult"/>: a checker verdict, or what became of a proof that was found
/// (<c>stale</c>, <c>not-applied</c>) or of the request (<c>cancelled</c>). Written in kebab case: <c>proved</c>,
/// <c>not-applied</c>.
/// </summary>
[JsonConverter(typeof(StringEnumConverter), typeof(KebabCaseNamingStrategy))]
public enum ProveStatus
{
    Proved,
    Failed,
    Incomplete,
    Unsound,
    Timeout,
    Unavailable,
    Error,

    /// <summary>The request was cancelled (or the server shut down) before an answer.</summary>
    Cancelled,

    /// <summary>A proof was found, but the document changed meanwhile: nothing was edited.</summary>
    Stale,

    /// <summary>A proof was found and checked, but the editor did not apply the edit.</summary>
    NotApplied,
}

/// <summary>Conversions to <see cref="ProveStatus"/>.</summary>
public static class ProveStatuses
{
    /// <summary>The status that reports a checker verdict (the same name as <see cref="Verdict.Name"/>).</summary>
    public static ProveStatus Of(Verdict verdict) => verdict switch
    {
        Verdict.Proved => ProveStatus.Proved,
        Verdict.Failed => ProveStatus.Failed,
        Verdict.Incomplete => ProveStatus.Incomplete,
        Verdict.Unsound => ProveStatus.Unsound,
        Verdict.Timeout => ProveStatus.Timeout,
        Verdict.Unavailable => ProveStatus.Unavailable,
        Verdict.Error => ProveStatus.Error,
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "a verdict kind without a prove status"),
    };
}
