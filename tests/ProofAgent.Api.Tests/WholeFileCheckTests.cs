using System.Net;

namespace ProofAgent.Api.Tests;

/// <summary>
/// <c>POST /v1/check</c> with <c>file</c>: a whole source file (what an editor holds) checked as <c>agent check FILE</c>
/// checks it, every theorem reported; never mixed with the parts form, and never sharing a cache entry with it.
/// </summary>
public sealed class WholeFileCheckTests
{
    [RequiresToolsFact("coqc", Timeout = 180_000)]
    public async Task A_whole_file_is_checked_theorem_by_theorem_and_holes_and_axioms_are_not_proved()
    {
        await using var host = await ApiHost.StartAsync();

        using var proved = await host.PostJsonAsync("/v1/check", new
        {
            language = "coq",
            file = "Theorem one : 1 = 1.\nProof. reflexivity. Qed.\nTheorem two : 2 = 2.\nProof. reflexivity. Qed.\n",
        });
        var report = await host.JsonAsync(proved);
        Assert.Equal("proved", report.GetProperty("verdict").GetString());
        Assert.Equal(["one", "two"], report.GetProperty("theorems").EnumerateArray().Select(t => t.GetProperty("name").GetString()).Order(StringComparer.Ordinal));

        using var hole = await host.PostJsonAsync("/v1/check", new { language = "coq", file = "Theorem h : 3 = 3.\nProof.\nAdmitted.\n" });
        Assert.Equal("incomplete", (await host.JsonAsync(hole)).GetProperty("verdict").GetString());

        using var axiom = await host.PostJsonAsync("/v1/check", new { language = "coq", file = "Axiom f : False.\nTheorem bad : False.\nProof. exact f. Qed.\n" });
        var axiomVerdict = (await host.JsonAsync(axiom)).GetProperty("verdict").GetString();
        Assert.NotEqual("proved", axiomVerdict);
    }

    [RequiresToolsFact("coqc", Timeout = 180_000)]
    public async Task A_file_and_the_parts_of_the_same_text_are_different_cache_entries()
    {
        await using var host = await ApiHost.StartAsync();
        const string statement = "Theorem same_text : 4 = 4.";
        const string proof = "Proof. reflexivity. Qed.";

        using var parts = await host.PostJsonAsync("/v1/check", new { language = "coq", statement, proof });
        using var file = await host.PostJsonAsync("/v1/check", new { language = "coq", file = statement + "\n" + proof + "\n" });
        Assert.Equal(HttpStatusCode.OK, parts.StatusCode);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("miss", parts.Headers.GetValues("X-Cache").Single());
        Assert.Equal("miss", file.Headers.GetValues("X-Cache").Single());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_file_sent_with_parts_or_ending_inside_a_comment_is_refused_naming_the_field()
    {
        await using var host = await ApiHost.StartAsync();

        using var mixed = await host.PostJsonAsync("/v1/check", new { language = "coq", file = "Theorem t : True.\nProof. exact I. Qed.\n", proof = "Proof. exact I. Qed." });
        Assert.Equal(HttpStatusCode.BadRequest, mixed.StatusCode);
        Assert.Contains("'file'", await mixed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var open = await host.PostJsonAsync("/v1/check", new { language = "coq", file = "Theorem t : True.\nProof. exact I. Qed.\n(* open" });
        Assert.Equal(HttpStatusCode.BadRequest, open.StatusCode);
        Assert.Contains("'file' ends inside", await open.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var empty = await host.PostJsonAsync("/v1/check", new { language = "coq", file = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }
}
