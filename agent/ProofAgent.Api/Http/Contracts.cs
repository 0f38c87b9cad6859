using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProofAgent.Api.Http;

/// <summary>What both requests name: the theorem(s) and their language.</summary>
public abstract record TheoremRequestBody
{
    /// <summary>coq | lean4 | isabelle | fstar | smt (smt: checks only).</summary>
    public string? Language { get; init; }

    /// <summary>Imports and definitions the statement needs (may be empty).</summary>
    public string? Header { get; init; }

    /// <summary>
    /// The theorem(s), without proof (Coq: <c>Theorem t : P.</c>; a proof job also allows a trailing hole such as
    /// <c>Admitted.</c>). For SMT-LIB: the script.
    /// </summary>
    public string? Statement { get; init; }
}

/// <summary><c>POST /v1/check</c>: the proof must prove exactly <c>header + statement</c>.</summary>
public sealed record CheckRequestBody : TheoremRequestBody
{
    /// <summary>The proof text that follows the statement (Coq: <c>Proof. ... Qed.</c>).</summary>
    public string? Proof { get; init; }

    /// <summary>
    /// Instead of header, statement and proof: a whole source file, checked as <c>agent check FILE</c> checks it (every
    /// theorem it proves is reported with its kernel statement and axioms; there is no statement to compare it with).
    /// </summary>
    public string? File { get; init; }

    /// <summary>Seconds the prover may run (default 60).</summary>
    public double? Timeout { get; init; }
}

/// <summary>Budget of a proof job.</summary>
/// <param name="Seconds">Wall-clock seconds for the whole job (default 120).</param>
/// <param name="Samples">Whole proofs sampled from the model (default 4; ignored without a model).</param>
/// <param name="MaxProverCalls">Prover calls before giving up (default 2000).</param>
public sealed record ProofBudgetBody(double? Seconds, int? Samples, int? MaxProverCalls);

/// <summary><c>POST /v1/proofs</c>: find a proof of <c>header + statement</c>.</summary>
public sealed record ProofRequestBody : TheoremRequestBody
{
    /// <summary>The statement in words, given to the model as a hint.</summary>
    public string? InformalStatement { get; init; }

    public ProofBudgetBody? Budget { get; init; }

    /// <summary>A model of the registry; none: automation only.</summary>
    public string? Model { get; init; }

    /// <summary><c>pipeline</c> (default: the HybridProver stages) or <c>agent</c> (the model calls the provers as tools; needs a model).</summary>
    public string? Mode { get; init; }
}

/// <summary>The answer to <c>POST /v1/proofs</c> and <c>DELETE /v1/proofs/{id}</c>.</summary>
public sealed record JobAccepted(string Id, string Status, string Location, string Events);

/// <summary>A proof job as <c>GET /v1/proofs/{id}</c> shows it.</summary>
public sealed record JobView(
    string Id,
    string Status,
    string Language,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    JsonElement? Result,
    string? Error);

/// <summary>LeanCopilot's <c>GeneratorRequest</c> (LeanCopilot/Models/External.lean): <c>{"name","input","prefix"}</c>.</summary>
public sealed record GenerateRequestBody
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("input")]
    public string? Input { get; init; }

    [JsonPropertyName("prefix")]
    public string? Prefix { get; init; }
}

/// <summary>LeanCopilot's <c>Generation</c>: <c>{"output","score"}</c>.</summary>
public sealed record Generation([property: JsonPropertyName("output")] string Output, [property: JsonPropertyName("score")] double Score);

/// <summary>LeanCopilot's <c>GeneratorResponse</c>: <c>{"outputs":[{"output","score"},...]}</c>.</summary>
public sealed record GenerateResponse([property: JsonPropertyName("outputs")] IReadOnlyList<Generation> Outputs);

/// <summary><c>POST /v1/suggest</c>: ranked next tactics for a goal.</summary>
public sealed record SuggestRequestBody
{
    /// <summary>coq (checked in a session) or any language with <c>goal</c> and a model (unchecked).</summary>
    public string? Language { get; init; }

    public string? Header { get; init; }

    /// <summary>The theorem being proved; with it (Coq) every suggestion is run in a real session.</summary>
    public string? Statement { get; init; }

    /// <summary>Tactics already applied after the statement, in order.</summary>
    public IReadOnlyList<string>? Tactics { get; init; }

    /// <summary>A goal state as text, when there is no statement (the model's prompt).</summary>
    public string? Goal { get; init; }

    /// <summary>A model of the registry; none: the automation portfolio only.</summary>
    public string? Model { get; init; }

    /// <summary>Model samples (default 8).</summary>
    public int? Samples { get; init; }

    /// <summary>Seconds one tactic may run (default 5).</summary>
    public double? TacticTimeout { get; init; }
}

/// <summary>What a suggested tactic did where it was run; written as <c>proved</c>, <c>progress</c>, <c>error</c> or <c>unchecked</c>.</summary>
/// <remarks>The names are fixed on the type so that every serializer (and the OpenAPI document) writes the same strings.</remarks>
[JsonConverter(typeof(JsonStringEnumConverter<SuggestionStatus>))]
public enum SuggestionStatus
{
    /// <summary>No goal is left.</summary>
    [JsonStringEnumMemberName("proved")]
    Proved,

    /// <summary>The tactic ran; goals remain.</summary>
    [JsonStringEnumMemberName("progress")]
    Progress,

    /// <summary>The prover rejected the tactic.</summary>
    [JsonStringEnumMemberName("error")]
    Error,

    /// <summary>A model's proposal, not run (there was no statement to run it in).</summary>
    [JsonStringEnumMemberName("unchecked")]
    Unchecked,
}

/// <summary>One suggestion: <c>status</c> is <c>proved</c> (no goal left), <c>progress</c>, <c>error</c> or <c>unchecked</c>.</summary>
public sealed record Suggestion(string Tactic, string Source, double Score, SuggestionStatus Status, int? GoalsAfter, string? Message);

/// <summary>The answer to <c>POST /v1/suggest</c>.</summary>
public sealed record SuggestResponse(IReadOnlyList<string> Goals, bool Checked, IReadOnlyList<Suggestion> Suggestions);
