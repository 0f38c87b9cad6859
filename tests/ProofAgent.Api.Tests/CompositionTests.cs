using System.Net;
using Xunit;

namespace ProofAgent.Api.Tests;

/// <summary>
/// Class 6 of the soundness issue: <c>POST /v1/check</c> composes <c>header + statement + proof</c> and checks it against
/// <c>header + statement</c>, so a part that ends inside a comment or string, or a proof that aborts the statement and
/// states its own theorem of the same name, could make a false statement pass. Each such request is refused with a
/// 400 naming the part; a header that declares a type is shared by both sides, so correct proofs about it are proved.
/// </summary>
public sealed class CompositionTests
{
    public static TheoryData<string, string, string, string, string> Subversions() => new()
    {
        // The header swallows the statement into a comment: the statement file would declare nothing.
        { "(* ", "Theorem t : False.", "Proof. Admitted. (* *)", "header", "comment" },
        // The header ends inside a string that the proof closes.
        { "Definition s := \"", "Theorem t : False.", "Proof. exact I. Qed.", "header", "string" },
        // The proof aborts the statement's theorem and proves another of the same name (and an elaborated check on it).
        { string.Empty, "Theorem t : 2 + 2 = 5.", "Abort.\nTheorem t : 2 + 2 = 4.\nProof. reflexivity. Qed.", "proof", "aborts" },
        // The proof declares a theorem of the statement's name again, after closing the first with a hole.
        { string.Empty, "Theorem t : False.", "Proof. Admitted.\nTheorem t : True.\nProof. exact I. Qed.", "proof", "another theorem named 't'" },
        // The statement part closes its own proof, so the proof part can state anything.
        { string.Empty, "Theorem t : False. Admitted.", "Theorem u : True. Proof. exact I. Qed.", "statement", "already ends the proof" },
        // Two theorems in the statement part: which one is proved is ambiguous.
        { string.Empty, "Theorem t : True. Proof. exact I. Qed. Theorem u : False.", "Proof. Admitted.", "statement", "2 theorems" },
        // The header leaves a theorem open, so the statement is read inside its proof.
        { "Theorem pre : True.", "Theorem t : False.", "Proof. Admitted.", "header", "open" },
        // The statement ends inside a comment that the proof closes.
        { string.Empty, "Theorem t : False. (*", "*) Proof. Admitted.", "statement", "comment" },
    };

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Subversions))]
    public async Task A_part_that_could_subvert_the_composed_file_is_refused_naming_the_part(string header, string statement, string proof, string field, string fragment)
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.PostJsonAsync("/v1/check", new { language = "coq", header, statement, proof });

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        var problem = await host.JsonAsync(new HttpResponseMessage { Content = new StringContent(text) });
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Contains(fragment, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [RequiresToolsFact("coqc", "coqchk", Timeout = 180_000)]
    public async Task A_header_that_declares_a_type_is_shared_so_a_correct_proof_is_proved_and_named()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.PostJsonAsync("/v1/check", new
        {
            language = "coq",
            header = "Inductive color := red | green.\n",
            statement = "Theorem distinct : red <> green.",
            proof = "Proof. discriminate. Qed.",
        });

        var report = await host.JsonAsync(response);
        Assert.Equal("proved", report.GetProperty("verdict").GetString());
        var theorem = Assert.Single(report.GetProperty("theorems").EnumerateArray());
        Assert.Equal("distinct", theorem.GetProperty("name").GetString());
        Assert.Equal(["coqc", "coqchk"], theorem.GetProperty("checkedBy").EnumerateArray().Select(e => e.GetString()));
    }
}
