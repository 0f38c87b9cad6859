using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ProofAgent.Mba;

/// <summary>One question of a data file: its 1-based line and the two sides.</summary>
public sealed record MbaQuestion(int Line, MbaExpr Lhs, MbaExpr Rhs);

/// <summary>A question's verdict and the time it took.</summary>
public sealed record MbaAnswer(MbaQuestion Question, MbaVerdict Verdict, TimeSpan Elapsed);

/// <summary>A data file that cannot be read, with the line (and side and column) at fault.</summary>
public sealed class MbaDatasetException : FormatException
{
    public MbaDatasetException()
    {
    }

    public MbaDatasetException(string message)
        : base(message)
    {
    }

    public MbaDatasetException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// Reads MBA questions from JSON Lines (<c>{"lhs": ..., "rhs": ...}</c> per line, other fields ignored) or from the
/// comma-separated lines of the MBA-Solver dataset (<c>lhs,rhs[,more]</c>, <c>#</c> comments; the MBA grammar has no
/// comma). The format is the first non-blank line's: JSON when it starts with <c>{</c> or <c>[</c>. Blank lines are
/// skipped; anything else that is not a question is an error naming its line.
/// </summary>
public static class MbaDataset
{
    public static IReadOnlyList<MbaQuestion> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        bool? json = null;
        var questions = new List<MbaQuestion>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            json ??= line[0] is '{' or '[';
            if (json == false && line[0] == '#')
            {
                continue;
            }

            var (lhs, rhs) = json.Value ? FromJson(line, i + 1) : FromCsv(line, i + 1);
            questions.Add(new MbaQuestion(i + 1, Expr(lhs, "lhs", i + 1), Expr(rhs, "rhs", i + 1)));
        }

        return questions;
    }

    /// <summary>Verifies the questions one after the other, in order, yielding each answer as it comes.</summary>
    public static async IAsyncEnumerable<MbaAnswer> VerifyAllAsync(this MbaVerifier verifier, IEnumerable<MbaQuestion> questions, int bits, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(questions);
        foreach (var question in questions)
        {
            var started = Stopwatch.GetTimestamp();
            var verdict = await verifier.VerifyAsync(question.Lhs, question.Rhs, bits, cancellationToken);
            yield return new MbaAnswer(question, verdict, Stopwatch.GetElapsedTime(started));
        }
    }

    private static (string Lhs, string Rhs) FromJson(string line, int number)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(line).RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new MbaDatasetException($"line {number}: not valid JSON: {exception.Message}");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new MbaDatasetException($"line {number}: expected a JSON object with \"lhs\" and \"rhs\"");
        }

        return (Field(root, "lhs", number), Field(root, "rhs", number));
    }

    private static string Field(JsonElement root, string field, int number) =>
        root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new MbaDatasetException($"line {number}: missing string field \"{field}\"");

    private static (string Lhs, string Rhs) FromCsv(string line, int number)
    {
        var fields = line.Split(',');
        return fields.Length >= 2
            ? (fields[0], fields[1])
            : throw new MbaDatasetException($"line {number}: expected lhs,rhs (comma-separated) or a JSON object");
    }

    private static MbaExpr Expr(string text, string side, int number)
    {
        try
        {
            return MbaParsing.Parse(text);
        }
        catch (MbaSyntaxException exception)
        {
            throw new MbaDatasetException($"line {number}, {side}, at {exception.Line}:{exception.Column}: {exception.Reason}");
        }
    }
}
