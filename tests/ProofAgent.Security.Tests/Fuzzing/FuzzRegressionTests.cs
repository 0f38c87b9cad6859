using System.Text;
using ProofAgent.Cli.Infrastructure;
using ProofAgent.Provers;
using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Coq.IdeTop;
using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Smt;
using Xunit;

namespace ProofAgent.Security.Tests.Fuzzing;

/// <summary>
/// Hostile inputs written down: absurd depth, NUL bytes, invalid UTF-8, huge files, and every input kept in
/// <c>Corpus/</c> (crashes and near-misses the fuzzers found). Each must give a clear error or a result, never a crash.
/// </summary>
public sealed class FuzzRegressionTests
{
    private const int Deep = 100_000;

    [Fact]
    public void A_hundred_thousand_deep_parenthesis_is_refused_by_the_SExpr_parser()
    {
        var text = new string('(', Deep) + new string(')', Deep);
        var exception = Assert.Throws<FormatException>(() => SExpr.ParseAll(text));
        Assert.Contains("deeper", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_deepest_accepted_SExpr_prints_compares_and_hashes_without_overflowing_the_stack()
    {
        // 10,000 is the parser's cap: everything a caller may do with what it returns must survive that depth.
        var text = new string('(', 10_000) + "x" + new string(')', 10_000);
        var parsed = RunOnSmallStack(() => SExpr.ParseAll(text));
        var printed = RunOnSmallStack(() => parsed[0].ToString());
        Assert.Equal(text, printed);
        var again = SExpr.ParseAll(text);
        Assert.Equal(printed, RunOnSmallStack(() => again[0].ToString()));

        // Record equality and hashing must not recurse either (a stack overflow here kills the process, failing the run).
        _ = RunOnSmallStack(() => (again[0].Equals(parsed[0]), again[0].GetHashCode()));
    }

    [Fact]
    public void The_SMT_output_reader_survives_a_hundred_thousand_deep_answer()
    {
        var reading = SmtOutputReader.Read("sat\n" + new string('(', Deep));
        Assert.NotNull(reading);
    }

    [Fact]
    public void The_Coq_scan_survives_deep_comments_parentheses_and_a_huge_sentence()
    {
        var comment = string.Concat(Enumerable.Repeat("(*", Deep)) + string.Concat(Enumerable.Repeat("*)", Deep)) + "\nTheorem t : True. Proof. exact I. Qed.\n";
        var scan = CoqSourceScan.Scan(comment);
        Assert.Single(scan.Theorems);

        var parens = "Definition d := " + new string('(', Deep) + "0" + new string(')', Deep) + ".\n";
        Assert.Single(CoqSyntax.SplitSentences(parens));

        var unterminated = "(* " + new string('x', 1_000_000);
        Assert.Empty(CoqSourceScan.Scan(unterminated).Theorems);
    }

    [Fact]
    public void The_coqidetop_decoder_refuses_an_endless_element_and_deep_XML()
    {
        var decoder = new CoqXmlFrameDecoder(maxFrameChars: 1024 * 1024);
        AssertNamesTheProtocolError(Assert.Throws<ProverCrashedException>(() => decoder.Decode(string.Concat(Enumerable.Repeat("<a>", 400_000))).ToList()));

        var deep = string.Concat(Enumerable.Repeat("<a>", 10_000)) + string.Concat(Enumerable.Repeat("</a>", 10_000));
        var frames = new CoqXmlFrameDecoder().Decode(deep).ToList();
        Assert.Single(frames);
        var parsed = RunOnSmallStack(() =>
        {
            try
            {
                return CoqXml.ParseElement(frames[0]).Name.LocalName;
            }
            catch (ProverCrashedException exception)
            {
                AssertNamesTheProtocolError(exception);
                return "refused";
            }
        });
        Assert.Contains(parsed, new[] { "a", "refused" });
    }

    [Fact]
    public void A_user_file_with_a_NUL_byte_invalid_UTF8_or_too_many_bytes_is_a_usage_error_naming_it()
    {
        var directory = Directory.CreateTempSubdirectory("proofagent-sec-files-");
        try
        {
            var nul = Write(directory, "nul.v", "Theorem t : True.\0"u8.ToArray());
            Assert.Contains("NUL byte at offset 17", Assert.Throws<UsageException>(() => CommandRunner.ReadUserFile(nul, "proof file")).Message, StringComparison.Ordinal);

            var invalid = Write(directory, "bad.v", [0x41, 0x42, 0xC3, 0x28]);
            Assert.Contains("not valid UTF-8 (byte offset 2)", Assert.Throws<UsageException>(() => CommandRunner.ReadUserFile(invalid, "proof file")).Message, StringComparison.Ordinal);

            var surrogate = Write(directory, "surrogate.v", [0xED, 0xA0, 0x80]);
            Assert.Contains("not valid UTF-8", Assert.Throws<UsageException>(() => CommandRunner.ReadUserFile(surrogate, "proof file")).Message, StringComparison.Ordinal);

            // A sparse 17 MiB file: refused from its size, without reading it.
            var huge = Path.Combine(directory.FullName, "huge.v");
            using (var stream = File.Create(huge))
            {
                stream.SetLength(17L * 1024 * 1024);
            }

            var tooBig = Assert.Throws<UsageException>(() => CommandRunner.ReadUserFile(huge, "proof file"));
            Assert.Contains("huge.v", tooBig.Message, StringComparison.Ordinal);
            Assert.Contains("limit", tooBig.Message, StringComparison.Ordinal);

            Assert.Contains("is a directory", Assert.Throws<UsageException>(() => CommandRunner.ReadUserFile(directory.FullName)).Message, StringComparison.Ordinal);
            Assert.Equal("x", CommandRunner.ReadUserFile(Write(directory, "bom.v", [0xEF, 0xBB, 0xBF, 0x78])));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        var corpus = Path.Combine(AppContext.BaseDirectory, "Fuzzing", "Corpus");
        foreach (var file in Directory.EnumerateFiles(corpus).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Every_corpus_input_gets_a_result_or_a_clear_error_from_every_parser(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fuzzing", "Corpus", name);
        string text;
        try
        {
            text = CommandRunner.ReadUserFile(path, "corpus file");
        }
        catch (UsageException exception)
        {
            Assert.Contains(name, exception.Message, StringComparison.Ordinal);
            text = Encoding.UTF8.GetString(File.ReadAllBytes(path));
        }

        try
        {
            _ = SExpr.ParseAll(text).Select(e => e.ToString()).ToList();
        }
        catch (FormatException exception)
        {
            AssertSaysWhere(exception);
        }

        _ = SmtOutputReader.Read(text);
        _ = CoqSourceScan.Scan(text);
        try
        {
            foreach (var frame in new CoqXmlFrameDecoder(1024 * 1024).Decode(text))
            {
                CoqXml.ParseElement(frame);
            }
        }
        catch (ProverCrashedException exception)
        {
            AssertNamesTheProtocolError(exception);
        }
    }

    /// <summary>An S-expression error says where the input went wrong: an offset, or the end of the input.</summary>
    internal static void AssertSaysWhere(FormatException exception) =>
        Assert.Matches(@"at offset \d+|at end of input", exception.Message);

    /// <summary>A coqidetop protocol error says that coqidetop sent something bad, and what.</summary>
    internal static void AssertNamesTheProtocolError(ProverCrashedException exception) =>
        Assert.Matches(@"^coqidetop sent (malformed XML: .+|an element larger than \d+ characters)", exception.Message);

    private static string Write(DirectoryInfo directory, string name, byte[] bytes)
    {
        var path = Path.Combine(directory.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Runs on a thread with a 1 MiB stack (a thread-pool thread's size), so that deep recursion shows up here and not in production.</summary>
    private static T RunOnSmallStack<T>(Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = action();
                }
#pragma warning disable CA1031 // Carried to the test thread.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    failure = exception;
                }
            },
            1024 * 1024);
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException("failed on a small stack", failure);
    }
}
