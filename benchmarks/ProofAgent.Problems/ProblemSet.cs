using System.Text.Json;
using ProofAgent.Provers;

namespace ProofAgent.Problems;

/// <summary>One synthesized problem in every output form; <see cref="CoqProof"/> is set when the product can prove it.</summary>
public interface ISynthesizedProblem
{
    string Id { get; }

    string Lean { get; }

    string CoqStatement { get; }

    string? CoqProof { get; }

    string Markdown { get; }
}

/// <summary>
/// Where a problem set goes: a folder (null: nowhere), the Coq checker that replays every emitted proof (null: none;
/// the caller builds it, sandboxed), and the JSON style of <c>problems.jsonl</c>.
/// </summary>
public sealed record ProblemSetTarget(string? Folder, IProofChecker? Coq, JsonSerializerOptions Json)
{
    /// <summary>Seconds coqc may spend on one emitted proof.</summary>
    public TimeSpan CoqTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public static ProblemSetTarget None { get; } = new(null, null, JsonSerializerOptions.Default);
}

/// <summary>An emitted Coq proof the checker did not accept, with the checker's verdict.</summary>
public sealed record ProblemRejection(string Id, string Verdict);

/// <summary>What writing a problem set did: problems written and emitted Coq proofs accepted or rejected by the checker.</summary>
public sealed record ProblemSetReport(int Problems, int CoqProofs, int CoqProved, IReadOnlyList<ProblemRejection> Rejections)
{
    public int CoqRejected => Rejections.Count;
}

/// <summary>
/// Writes <c>ID.lean</c>, <c>ID.v</c> (the statement), <c>ID.proof.v</c> (when there is a proof), <c>ID.md</c> and one
/// <c>problems.jsonl</c> line per problem, in the given order, and checks every emitted Coq proof with the target's checker.
/// </summary>
public static class ProblemSetWriter
{
    public static async Task<ProblemSetReport> WriteAsync<T>(IReadOnlyList<T> problems, ProblemSetTarget target, CancellationToken cancellationToken = default)
        where T : ISynthesizedProblem
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(target);
        var proved = 0;
        var rejected = new List<ProblemRejection>();
        if (target.Folder is { } created)
        {
            Directory.CreateDirectory(created);
        }

        var jsonl = new List<string>();
        foreach (var problem in problems)
        {
            if (target.Coq is { } coq && problem.CoqProof is { } proof)
            {
                var task = new ProofTask(ProofLanguage.Coq, proof).WithFileName(problem.Id + ".v")
                    .WithBudget(ResourceBudget.Default.WithWallClock(target.CoqTimeout));
                var result = await coq.CheckAsync(task, cancellationToken);
                if (result.Verdict.IsProved)
                {
                    proved++;
                }
                else
                {
                    rejected.Add(new ProblemRejection(problem.Id, result.Verdict.Summary));
                }
            }

            if (target.Folder is not { } folder)
            {
                continue;
            }

            await File.WriteAllTextAsync(Path.Combine(folder, problem.Id + ".lean"), problem.Lean, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(folder, problem.Id + ".v"), problem.CoqStatement, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(folder, problem.Id + ".md"), problem.Markdown, cancellationToken);
            if (problem.CoqProof is not null)
            {
                await File.WriteAllTextAsync(Path.Combine(folder, problem.Id + ".proof.v"), problem.CoqProof, cancellationToken);
            }

            // The record's own type, so that every field of a Busy Beaver or MBA problem is written.
            jsonl.Add(JsonSerializer.Serialize(problem, problem.GetType(), target.Json));
        }

        if (target.Folder is { } written)
        {
            await File.WriteAllLinesAsync(Path.Combine(written, "problems.jsonl"), jsonl, cancellationToken);
        }

        return new ProblemSetReport(problems.Count, problems.Count(p => p.CoqProof is not null), proved, rejected);
    }
}
