using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.Tests.Coq;

/// <summary>
/// Recursion of the submitter's own, hidden where the audit's walk over own constants has to find it: behind chains of
/// helpers (opaque and transparent), inside modules, in an inductive's generated recursor, behind an instance found by
/// resolution, past the depth the walk follows. Recursion is untrusted on Coq 8.16.1, so each must be refused; a fixpoint
/// the theorem does not use must not be.
/// </summary>
public sealed class OwnRecursionTests
{
    private static readonly ProcessRunner Runner = new(new ResourceLimitIsolation());

    private const string Fix = "Fixpoint f (n : nat) : nat := match n with O => O | S k => f k end.\n";

    public static TheoryData<string, string> Hidden() => new()
    {
        {
            "an opaque helper two layers down",
            Fix + """
            Lemma helper : forall n, f n = 0. Proof. induction n; simpl; auto. Qed.
            Lemma middle : f 3 = 0. Proof. exact (helper 3). Qed.
            Theorem t : True /\ f 3 = 0. Proof. split. exact I. exact middle. Qed.
            """
        },
        {
            "a transparent alias inside a module",
            Fix + """
            Module M. Definition g := f. Lemma h : g 0 = 0. Proof. reflexivity. Qed. End M.
            Theorem t : M.g 0 = 0. Proof. exact M.h. Qed.
            """
        },
        {
            "the recursor of an own inductive",
            """
            Inductive tree := Leaf | Node (l r : tree).
            Theorem t : forall x : tree, x = x. Proof. intros x. induction x; reflexivity. Qed.
            """
        },
        {
            "an instance found by resolution",
            Fix + """
            Class Zero (A : Type) := zero : A.
            #[export] Instance zero_nat : Zero nat := f 5.
            Theorem t : @zero nat _ = 0. Proof. reflexivity. Qed.
            """
        },
        {
            "a chain deeper than the walk follows",
            Fix + "Definition d0 := f 0.\n"
                + string.Concat(Enumerable.Range(1, 10).Select(i => $"Definition d{i} := d{i - 1}.\n"))
                + "Theorem t : d10 = 0. Proof. reflexivity. Qed.\n"
        },
    };

    [Theory]
    [InlineData("Candidate.helper O", new[] { "Job.Candidate.helper" })]
    [InlineData("(@Job.Candidate.M.h' x) (Coq.Init.Datatypes.S y)", new[] { "Job.Candidate.M.h'" })]
    [InlineData("ProofAgentHeader.sum_f_R0 (Rdefinitions.IZR 0)", new[] { "Shared.ProofAgentHeader.sum_f_R0" })]
    [InlineData("Foo.Candidate.x Candidate_x xCandidate.y", new string[0])]
    [InlineData("(Candidate.f\u0300 x)", new[] { "Job.Candidate.f\u0300" })]
    [InlineData("Candidate.f\u207A", new[] { "Job.Candidate.f\u207A" })]
    [InlineData("Inductive Color : Set := Red : ProofAgentHeader.Color | Blue : ProofAgentHeader.Color.", new[] { "Shared.ProofAgentHeader.Color" })]
    public void Own_references_are_read_from_a_printed_term(string printed, string[] expected) =>
        Assert.Equal(expected, CoqAudit.OwnReferences(printed));

    [RequiresToolsTheory("coqc", "coqchk", Timeout = 180_000)]
    [MemberData(nameof(Hidden))]
    public async Task Own_recursion_is_found_wherever_the_theorem_reaches_it(string where, string source)
    {
        var result = await CheckAsync(CoqOptions.Default, source);

        var unsound = Assert.IsType<Verdict.Unsound>(result.Verdict);
        Assert.True(unsound.Violations.Any(v => v.Contains("relies on recursion", StringComparison.Ordinal)), $"{where}: {string.Join("; ", unsound.Violations)}");

        // The same file is a proof when the operator trusts recursion: the refusal is about recursion, nothing else.
        var trusting = await CheckAsync(CoqOptions.Default.WithTrustedFeatures(KernelFeature.Recursion), source);
        Assert.True(trusting.Verdict.IsProved, $"{where}: {trusting.Verdict.Summary}");
    }

    [RequiresToolsFact("coqc", "coqchk", Timeout = 180_000)]
    public async Task A_chain_beyond_the_walk_says_it_was_not_audited()
    {
        var source = (string)Hidden().Single(row => (string)row[0] == "a chain deeper than the walk follows")[1];

        var result = await CheckAsync(CoqOptions.Default, source);

        var unsound = Assert.IsType<Verdict.Unsound>(result.Verdict);
        Assert.Contains(unsound.Violations, v => v.Contains("not audited", StringComparison.Ordinal));
    }

    [RequiresToolsFact("coqc", "coqchk", Timeout = 180_000)]
    public async Task Recursion_the_theorem_does_not_use_is_not_held_against_it()
    {
        var source = Fix + """
            Inductive tree := Leaf | Node (l r : tree).
            Lemma helper : forall n, n + 0 = n. Proof. intros n. rewrite <- plus_n_O. reflexivity. Qed.
            Theorem t : 2 + 0 = 2. Proof. exact (helper 2). Qed.
            """;

        var result = await CheckAsync(CoqOptions.Default, source);

        Assert.True(result.Verdict.IsProved, result.Verdict.Summary);
    }

    private static Task<CheckResult> CheckAsync(CoqOptions options, string source) =>
        new CoqChecker(options, Runner).CheckAsync(new ProofTask(ProofLanguage.Coq, source)
            .WithBudget(ResourceBudget.Default.WithWallClock(TimeSpan.FromSeconds(90))));
}
