using ProofAgent.Agent;
using ProofAgent.Provers;

namespace ProofAgent.Api.Jobs;

/// <summary>A validated proof job, as persisted (JSON) in the job store.</summary>
public sealed record ProofJobRequest(
    string Language,
    string Header,
    string Statement,
    string? InformalStatement,
    double BudgetSeconds,
    int Samples,
    int MaxProverCalls,
    string? Model)
{
    /// <summary>
    /// Who drives the attempt: the pipeline (default) or a Semantic Kernel agent calling the provers as tools. Stored and
    /// served as <c>"pipeline"</c> / <c>"agent"</c> (<see cref="ApiJson"/>'s camel-case enum names), as before it was typed.
    /// </summary>
    public ProofMode Mode { get; init; } = ProofMode.Pipeline;

    public ProofLanguage ParsedLanguage => ProofLanguages.TryParse(Language, out var l) ? l : throw new InvalidOperationException($"unknown language '{Language}'");
}

/// <summary>One event of a job's trace: <see cref="Type"/> is the SSE event name, <see cref="Json"/> its data.</summary>
public sealed record ProofJobEvent(string Type, string Json);

/// <summary>The result of a job, as <c>GET /v1/proofs/{id}</c> shows it under <c>result</c>.</summary>
public sealed record ProofJobResult(
    string Verdict,
    string? Reason,
    string? Proof,
    IReadOnlyList<ProofJobTheorem> Theorems,
    int ProverCalls,
    int Samples,
    long ElapsedMs);

public sealed record ProofJobTheorem(string Name, bool Found, string? FoundBy, string? Script, string? Counterexample);

/// <summary>
/// Runs one proof job, reporting its events as they happen. The service's seam to the agent loop
/// (<see cref="AgentProofJobRunner"/>); cancellation must stop the work promptly.
/// </summary>
public interface IProofJobRunner
{
    Task<ProofJobResult> RunAsync(ProofJobRequest request, Func<ProofJobEvent, Task> onEvent, CancellationToken cancellationToken);
}
