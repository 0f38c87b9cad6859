using System.Text.Json;
using Xunit;

namespace ProofAgent.Cli.Tests;

/// <summary>Shared by the synthesis command tests.</summary>
internal static class SynthCommands
{
    /// <summary>Synthesis and GL commands run one at a time (each is a CPU-bound child process).</summary>
    public const string Collection = "synthesis commands";

    /// <summary>Checks problems.jsonl against the report and that every problem has its .lean, .v and .md (and .proof.v when counted); returns the records.</summary>
    public static List<JsonElement> AssertProblemFiles(string folder, JsonElement report)
    {
        var records = File.ReadAllLines(Path.Combine(folder, "problems.jsonl")).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
        Assert.Equal(report.GetProperty("problems").GetInt32(), records.Count);
        var ids = records.Select(r => r.GetProperty("id").GetString()!).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        foreach (var id in ids)
        {
            foreach (var extension in new[] { ".lean", ".v", ".md" })
            {
                var file = Path.Combine(folder, id + extension);
                Assert.True(File.Exists(file) && new FileInfo(file).Length > 0, $"{id}{extension} is missing or empty");
            }
        }

        Assert.Equal(report.GetProperty("coqProofs").GetInt32(), ids.Count(id => File.Exists(Path.Combine(folder, id + ".proof.v"))));
        Assert.Equal(records.Count * 3 + report.GetProperty("coqProofs").GetInt32() + 1, Directory.GetFiles(folder).Length);
        return records;
    }
}

[CollectionDefinition(SynthCommands.Collection)]
public sealed class SynthesisCommandsGroup
{
}

/// <summary>
/// A small evaluator for MBA expressions on n-bit words, written for these tests (independent of the agent's):
/// C precedence, unary ~ and - tightest, then *, then + and -, then &amp;, then ^, then |; decimal and 0x constants.
/// </summary>
internal sealed class MbaEvaluator
{
    /// <summary>Binary operators by precedence, loosest first.</summary>
    private static readonly string[] Levels = ["|", "^", "&", "+-", "*"];

    private readonly string _text;
    private readonly IReadOnlyDictionary<string, ulong> _values;
    private readonly ulong _mask;
    private int _at;

    private MbaEvaluator(string text, IReadOnlyDictionary<string, ulong> values, int bits)
    {
        _text = text;
        _values = values;
        _mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
    }

    public static ulong Evaluate(string text, IReadOnlyDictionary<string, ulong> values, int bits)
    {
        var evaluator = new MbaEvaluator(text, values, bits);
        var value = evaluator.Binary(0);
        evaluator.Skip();
        Assert.True(evaluator._at == text.Length, $"test evaluator: unexpected '{text[evaluator._at..]}' in {text}");
        return value;
    }

    private ulong Binary(int level)
    {
        if (level == Levels.Length)
        {
            return Unary();
        }

        var value = Binary(level + 1);
        while (true)
        {
            Skip();
            if (_at >= _text.Length || !Levels[level].Contains(_text[_at], StringComparison.Ordinal))
            {
                return value;
            }

            var op = _text[_at++];
            var right = Binary(level + 1);
            value = op switch
            {
                '|' => value | right,
                '^' => value ^ right,
                '&' => value & right,
                '+' => value + right,
                '-' => value - right,
                _ => value * right,
            } & _mask;
        }
    }

    private ulong Unary()
    {
        Skip();
        var c = _text[_at];
        if (c is '~' or '-')
        {
            _at++;
            var operand = Unary();
            return (c == '~' ? ~operand : 0 - operand) & _mask;
        }

        if (c == '(')
        {
            _at++;
            var value = Binary(0);
            Skip();
            Assert.Equal(')', _text[_at++]);
            return value;
        }

        var start = _at;
        while (_at < _text.Length && (char.IsAsciiLetterOrDigit(_text[_at]) || _text[_at] == '_'))
        {
            _at++;
        }

        var token = _text[start.._at];
        Assert.True(token.Length > 0, $"test evaluator: unexpected '{c}' in {_text}");
        if (char.IsAsciiDigit(token[0]))
        {
            var hex = token.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
            var number = 0UL;
            foreach (var digit in hex ? token[2..] : token)
            {
                number = unchecked((number * (hex ? 16UL : 10UL)) + (ulong)Convert.ToInt32(digit.ToString(), 16)); // wraps: exact modulo 2^64
            }

            return number & _mask;
        }

        Assert.True(_values.TryGetValue(token, out var v), $"test evaluator: no value for variable {token}");
        return v & _mask;
    }

    private void Skip()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
        {
            _at++;
        }
    }
}
