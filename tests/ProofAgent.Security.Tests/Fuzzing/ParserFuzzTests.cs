using System.Text;
using CsCheck;
using ProofAgent.Cli.Infrastructure;
using ProofAgent.Provers;
using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Coq.IdeTop;
using ProofAgent.Provers.Smt;
using Xunit;
using Xunit.Abstractions;

namespace ProofAgent.Security.Tests.Fuzzing;

/// <summary>
/// Property-based fuzzing (CsCheck) of every parser that reads text from users or provers. Each property states the
/// only allowed outcomes (a result or the parser's documented error); anything else, including a stack overflow, is a
/// crash. Iterations are modest in CI; <c>PROOFAGENT_FUZZ_SECONDS=N</c> runs each property for N seconds instead and
/// prints the number of executions (the runs reported in docs/SECURITY.md). Found crashes live on in
/// <see cref="FuzzRegressionTests"/> and <c>Corpus/</c>.
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    /// <summary>Fragments that drive the parsers into their interesting states, mixed with arbitrary characters.</summary>
    private static readonly Gen<string> Fragment = Gen.Frequency(
        (6, Gen.OneOf<string>(
            "(", ")", "((", "))", "(*", "*)", "\"", "\"\"", "|", ";", "\n", " ", ".", "..", "-", "+", "*", "{", "}", ":",
            "<", ">", "/>", "</", "'", "=", "&", "&nbsp;", "<value val=\"good\">", "</value>", "<string>", "</string>",
            "Theorem t : True.", "Proof.", "Qed.", "Admitted.", "Load", "Redirect", "Module M.", "End M.", "Section S.", "End S.",
            "(check-sat)", "(assert (> x 0))", "sat", "unsat", "(error \"x\")", ":reason-unknown", "#[bypass_check(guard)]")),
        (2, Gen.Char.Select(c => c.ToString())),
        (1, Gen.OneOf<string>("\0", "\uFEFF", "\uD800", "\uDC00", "é", "\u00A0", "\r\n", "\t")));

    private static readonly Gen<string> Text = Fragment.Array[0, 80].Select(parts => string.Concat(parts));

    private static int? FuzzSeconds =>
        int.TryParse(Environment.GetEnvironmentVariable("PROOFAGENT_FUZZ_SECONDS"), out var seconds) && seconds > 0 ? seconds : null;

    private void Run<T>(Gen<T> gen, Action<T> property, long iterations)
    {
        if (FuzzSeconds is { } seconds)
        {
            gen.Sample(property, writeLine: output.WriteLine, time: seconds, threads: 1);
        }
        else
        {
            gen.Sample(property, iter: iterations, threads: 1);
        }
    }

    [Fact]
    public void The_SExpr_parser_returns_or_says_where_the_input_is_bad()
    {
        Run(Text, text =>
        {
            IReadOnlyList<SExpr> parsed;
            try
            {
                parsed = SExpr.ParseAll(text);
            }
            catch (FormatException exception)
            {
                FuzzRegressionTests.AssertSaysWhere(exception);
                return;
            }

            // What parses prints back to text that parses to the same thing.
            var printed = string.Join(" ", parsed.Select(e => e.ToString()));
            var again = SExpr.ParseAll(printed);
            Assert.Equal(printed, string.Join(" ", again.Select(e => e.ToString())));
        }, 20_000);
    }

    [Fact]
    public void The_SMT_output_reader_never_throws_on_solver_output()
    {
        Run(Text, text => SmtOutputReader.Read(text), 10_000);
    }

    [Fact]
    public void The_Coq_sentence_splitter_and_scan_cover_the_source_in_order()
    {
        Run(Text, text =>
        {
            var sentences = CoqSyntax.SplitSentences(text);
            var last = 0;
            foreach (var sentence in sentences)
            {
                Assert.InRange(sentence.Start, last, text.Length);
                Assert.InRange(sentence.End, sentence.Start + 1, text.Length);
                Assert.Equal(text[sentence.Start..sentence.End], sentence.Text);
                last = sentence.End;
            }

            var scan = CoqSourceScan.Scan(text);
            Assert.All(scan.Findings, f => Assert.InRange(f.Line, 1, text.Count(c => c == '\n') + 1));
            _ = CoqSourceScan.StatementOnly(text, scan);
            _ = CoqSyntax.MapStdlibToCoq(text);
        }, 20_000);
    }

    [Fact]
    public void The_coqidetop_frame_decoder_gives_the_same_frames_whatever_the_chunking()
    {
        var frames = Gen.OneOf<string>(
            "<value val=\"good\"><state_id val=\"1\"/></value>",
            "<feedback object=\"state\" route=\"0\"><state_id val=\"2\"/><feedback_content val=\"processed\"/></feedback>",
            "<value val=\"fail\" loc_s=\"0\" loc_e=\"3\"><state_id val=\"0\"/><richpp><_>a &gt; b &nbsp;</_></richpp></value>",
            "<message><message_level val=\"notice\"/><string>x = \"&lt;/y&gt;\"</string></message>",
            "<value val='good'><string>it's</string></value>");
        var gen = Gen.Select(frames.Array[1, 12], Gen.Int[1, 40].Array[1, 30]);
        Run(gen, input =>
        {
            var (expected, cuts) = input;
            var stream = string.Join("\n", expected);
            var decoder = new CoqXmlFrameDecoder();
            var got = new List<string>();
            var position = 0;
            var k = 0;
            while (position < stream.Length)
            {
                var length = Math.Min(cuts[k++ % cuts.Length], stream.Length - position);
                got.AddRange(decoder.Decode(stream.Substring(position, length)));
                position += length;
            }

            Assert.Equal(expected, got);
            Assert.All(got, frame => CoqXml.ParseElement(frame));
        }, 5_000);
    }

    [Fact]
    public void The_coqidetop_frame_decoder_and_parser_only_report_protocol_errors_on_garbage()
    {
        Run(Text, text =>
        {
            var decoder = new CoqXmlFrameDecoder(maxFrameChars: 4096);
            try
            {
                foreach (var frame in decoder.Decode(text))
                {
                    CoqXml.ParseElement(frame);
                }
            }
            catch (ProverCrashedException exception)
            {
                FuzzRegressionTests.AssertNamesTheProtocolError(exception);
            }
        }, 20_000);
    }

    [Fact]
    public void Reading_a_user_file_returns_text_or_a_usage_error()
    {
        var bytes = Gen.Frequency(
            (3, Gen.Byte.Array[0, 64]),
            (2, Text.Select(t => Encoding.UTF8.GetBytes(t))),
            (1, Gen.OneOf<byte[]>([0xEF, 0xBB, 0xBF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x41, 0x00, 0x42])));
        var path = Path.Combine(Path.GetTempPath(), "proofagent-fuzz-" + Guid.NewGuid().ToString("N")[..8] + ".v");
        try
        {
            Run(bytes, content =>
            {
                File.WriteAllBytes(path, content);
                try
                {
                    var text = CommandRunner.ReadUserFile(path, "proof file");
                    Assert.DoesNotContain('\0', text);
                    Assert.Equal(content.AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF]) ? content[3..] : content, Encoding.UTF8.GetBytes(text));
                }
                catch (UsageException exception)
                {
                    Assert.Contains(path, exception.Message, StringComparison.Ordinal);
                }
            }, 3_000);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
