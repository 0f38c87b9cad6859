using System.Text;
using System.Text.RegularExpressions;
using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Syntax.Tests;

/// <summary>
/// The lexer against Coq itself: <c>coqc -time</c> prints the byte range of every sentence its own parser read (the parser
/// coqidetop uses too), and the lexer must find exactly those sentences, on hand-written traps and on generated files whose
/// comments and strings mix every character that matters (quotes, doubled quotes, comment brackets, periods, blanks).
/// </summary>
public sealed partial class CoqLexerOracleTests
{
    private const string Prelude = "Require Import Coq.Strings.String.\nOpen Scope string_scope.\n";

    public static TheoryData<string> Traps() =>
    [
        "(* \" *) Definition hidden := 1. (* \" *)\nDefinition shown := 2.",
        "(* \"*)\" *)\nDefinition after_string_in_comment := 1.\nDefinition two := 2.",
        "(* a (* b \"(*\" *) c *) Definition nested := 1.",
        "Definition s1 := \"a\"\"b. (* not a comment\". Definition s2 := \"*)\".",
        "(* \"\"\"\" *) Definition quotes := 1. (* \"\" *) Definition q2 := 2.",
        "Definition x1 := 1.\tDefinition x2 := 2.\rDefinition x3 := 3.\r\nDefinition x4 := 4.",
        "Goal True /\\ True. split. - exact I. -exact I. Qed.",
        "Goal True /\\ True. split. 2: { exact I. } 1: exact I. Qed.",
        "Goal True /\\ (True /\\ True). split. { exact I. } { split. + exact I. + exact I. } Qed.",
        "Goal True /\\ True /\\ True. split; [| split]. all: exact I. Qed.",
        "Definition α := 1. (* ∀ \"λ\" *) Definition β := α.",
        "Notation \"x +++ y\" := (x + y) (at level 50). Check (1 +++ 2).",
        "Notation \"[[ x ; .. ; y ]]\" := (cons x .. (cons y nil) ..). Check [[1 ; 2]].",
    ];

    [RequiresToolsTheory("coqc", Timeout = 120_000)]
    [MemberData(nameof(Traps))]
    public async Task Should_split_hand_written_traps_exactly_as_coq_does(string body) =>
        await AssertAgreesWithCoqAsync(body);

    [RequiresToolsFact("coqc", Timeout = 300_000)]
    public async Task Should_split_generated_files_exactly_as_coq_does()
    {
        for (var seed = 1; seed <= 12; seed++)
        {
            await AssertAgreesWithCoqAsync(Generate(new Random(seed), fragments: 60));
        }
    }

    private static async Task AssertAgreesWithCoqAsync(string body)
    {
        var source = Prelude + body + "\n";
        var coq = await CoqSentencesAsync(source);
        var ours = CoqLexer.Sentences(source).Select(s => (s.Start, s.End)).ToList();
        Assert.True(coq.SequenceEqual(ours), $"Coq and the lexer disagree on:\n{source}\nCoq:   {Show(source, coq)}\nLexer: {Show(source, ours)}");
    }

    private static string Show(string source, IEnumerable<(int Start, int End)> ranges) =>
        string.Join(" | ", ranges.Select(r => source[r.Start..r.End]));

    /// <summary>The sentences Coq ran (UTF-16 ranges of the source), from <c>coqc -time</c>; the file must compile.</summary>
    private static async Task<List<(int Start, int End)>> CoqSentencesAsync(string source)
    {
        var directory = Directory.CreateTempSubdirectory("proofagent-lexer-");
        try
        {
            var file = Path.Combine(directory.FullName, "Oracle.v");
            var bytes = Encoding.UTF8.GetBytes(source);
            await File.WriteAllBytesAsync(file, bytes);
            var runner = new ProcessRunner(new ResourceLimitIsolation());
            var outcome = await runner.RunAsync(
                new ProcessSpec("coqc", ["-q", "-time", "Oracle.v"]) { WorkingDirectory = directory.FullName },
                new ProcessLimits(TimeSpan.FromSeconds(60)));
            Assert.True(outcome.ExitCode == 0, $"coqc rejected the oracle file:\n{source}\n{outcome.StandardError}");

            // Byte offsets (Coq reports UTF-8 bytes) to UTF-16 offsets.
            var charAt = new int[bytes.Length + 1];
            var b = 0;
            for (var i = 0; i < source.Length; i++)
            {
                var width = Encoding.UTF8.GetByteCount(source.AsSpan(i, char.IsHighSurrogate(source[i]) ? 2 : 1));
                for (var k = 0; k < width; k++)
                {
                    charAt[b + k] = i;
                }

                b += width;
                i += char.IsHighSurrogate(source[i]) ? 1 : 0;
            }

            charAt[bytes.Length] = source.Length;
            return [.. TimeLine().Matches(outcome.StandardOutput).Select(m => (charAt[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)], charAt[int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)]))];
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>A Coq file built from fragments Coq accepts, with comments and strings that mix every lexically hard character.</summary>
    private static string Generate(Random random, int fragments)
    {
        string[] blanks = [" ", "  ", "\n", "\t", "\r\n", " \n "];
        // No lone '(', '*' or ')': two adjacent pieces would form a comment bracket the generator did not mean.
        string[] inComment = ["x", " ", "\n", ".", ". ", "( *", "* )", "-", "{", "}", "α", "**"];
        string[] inString = ["a", " ", ".", ". ", "*)", "(*", "\"\"", "\n", "(* *)", "λ", "-", "{"];
        var builder = new StringBuilder();
        for (var i = 0; i < fragments; i++)
        {
            builder.Append(Pick(blanks));
            switch (random.Next(6))
            {
                case 0:
                    builder.Append($"Definition d{i} := {i}.");
                    break;
                case 1:
                    builder.Append($"Definition s{i} := \"{Repeat(inString, 4)}\".");
                    break;
                case 2 or 3:
                    builder.Append(Comment(depth: 0));
                    break;
                case 4:
                    builder.Append($"Goal True /\\ True.{Pick(blanks)}split.{Pick(blanks)}-{Pick(blanks)}exact I.{Pick(blanks)}{Comment(0)}{Pick(blanks)}- exact I.{Pick(blanks)}Qed.");
                    break;
                default:
                    builder.Append($"Check ({i}{Pick(blanks)}+{Pick(blanks)}{Comment(0)}1).");
                    break;
            }
        }

        return builder.ToString();

        string Comment(int depth)
        {
            var comment = new StringBuilder("(*");
            for (var k = random.Next(1, 5); k > 0; k--)
            {
                comment.Append(random.Next(depth < 2 ? 4 : 3) switch
                {
                    0 or 1 => Repeat(inComment, 3),
                    2 => $"\"{Repeat(inString, 3)}\"",
                    _ => Comment(depth + 1),
                });
            }

            return comment.Append("*)").ToString();
        }

        string Repeat(string[] pieces, int max) => string.Concat(Enumerable.Range(0, random.Next(max + 1)).Select(_ => Pick(pieces)));

        string Pick(string[] pieces) => pieces[random.Next(pieces.Length)];
    }

    [GeneratedRegex(@"^Chars (\d+) - (\d+) \[", RegexOptions.Multiline)]
    private static partial Regex TimeLine();
}
