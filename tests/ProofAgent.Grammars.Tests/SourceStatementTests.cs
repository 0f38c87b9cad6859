using System.Text.Json;
using System.Text.RegularExpressions;
using ProofAgent.Provers;
using Xunit;

namespace ProofAgent.Grammars.Tests;

/// <summary><see cref="SourceStatement"/>: the first theorem of a whole file, positions kept.</summary>
public sealed partial class SourceStatementTests
{
    [Fact]
    public void Should_take_the_lean_statement_up_to_its_assignment_skipping_comments_and_bracketed_defaults()
    {
        const string source = """
            import Mathlib
            -- theorem in_a_comment : False := by
            /- theorem in_a_block : False := by /- nested -/ -/
            @[simp] theorem t (n : ℕ) (k : ℕ := 3) (h : n > k) :
              n ≠ 0 := by
              omega
            theorem second : True := trivial
            """;

        var extracted = SourceStatement.Extract(ProofLanguage.Lean4, source)!;

        Assert.Equal(source.Length, extracted.Length);
        Assert.Equal(source.Split('\n').Length, extracted.Split('\n').Length);
        Assert.Equal("theorem t (n : ℕ) (k : ℕ := 3) (h : n > k) : n ≠ 0 := by", Collapse(extracted));

        // The grammar has no default arguments; without one, the extracted text parses with the file's line numbers.
        var statement = StatementParser.Parse(ProofLanguage.Lean4, SourceStatement.Extract(ProofLanguage.Lean4, source.Replace("(k : ℕ := 3) ", "", StringComparison.Ordinal))!);
        Assert.Equal("t", statement.Name);
        Assert.Equal(5, statement.Conclusion.Span.Line);
    }

    [Fact]
    public void Should_end_the_isabelle_statement_at_its_first_proof_command_outside_quotes()
    {
        const string source = """
            theory T imports Main begin
            (* lemma in_a_comment: "False" by simp *)
            lemma l:
              fixes x :: nat
              assumes h: "x > 0 \<and> (x = 1 \<longrightarrow> True)" (* by in a comment *)
              shows "x \<noteq> 0 \<or> by_name x"
              by simp
            end
            """;

        var extracted = SourceStatement.Extract(ProofLanguage.Isabelle, source)!;

        Assert.Equal("lemma l: fixes x :: nat assumes h: \"x > 0 \\<and> (x = 1 \\<longrightarrow> True)\" shows \"x \\<noteq> 0 \\<or> by_name x\"", Collapse(extracted));
        Assert.Equal("l", StatementParser.Parse(ProofLanguage.Isabelle, extracted).Name);
        Assert.Null(SourceStatement.Extract(ProofLanguage.Isabelle, "theory T imports Main begin\nend\n"));
        Assert.Null(SourceStatement.Extract(ProofLanguage.Lean4, "import Mathlib\ndef x := 1\n"));
    }

    [RequiresSharedFolderFact("minif2f")]
    public void Should_find_every_minif2f_statement_inside_its_whole_file()
    {
        var failures = new List<string>();
        foreach (var line in File.ReadLines(SharedData.Path_("minif2f", "minif2f_lean4.jsonl")).Where(l => l.Length > 0))
        {
            using var row = JsonDocument.Parse(line);
            var (name, statement) = (row.RootElement.GetProperty("name").GetString()!, row.RootElement.GetProperty("formal_statement").GetString()!);
            var file = row.RootElement.GetProperty("header").GetString() + statement + "  sorry\n\ntheorem later : True := trivial\n";
            if (SourceStatement.Extract(ProofLanguage.Lean4, file) is not { } extracted || Collapse(extracted) != Collapse(statement))
            {
                failures.Add("lean4 " + name);
            }
        }

        foreach (var line in File.ReadLines(SharedData.Path_("minif2f", "minif2f_isabelle.jsonl")).Where(l => l.Length > 0))
        {
            using var row = JsonDocument.Parse(line);
            var (name, statement) = (row.RootElement.GetProperty("name").GetString()!, row.RootElement.GetProperty("formal_statement").GetString()!);
            var file = row.RootElement.GetProperty("theory_text").GetString()!;
            if (SourceStatement.Extract(ProofLanguage.Isabelle, file) is not { } extracted || Collapse(extracted) != Collapse(statement))
            {
                failures.Add("isabelle " + name);
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} statements not found as written:\n" + string.Join("\n", failures.Take(20)));
    }

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
