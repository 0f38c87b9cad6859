using System.Globalization;
using System.Security;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using ProofAgent.Provers.Processes;

namespace ProofAgent.Provers.Coq.IdeTop;

/// <summary>
/// The coqidetop XML protocol (Coq 8.16, protocol version 20220205): request encoding and response decoding.
/// Responses are a stream of top-level elements: zero or more <c>&lt;feedback&gt;</c>, then one <c>&lt;value&gt;</c>.
/// </summary>
public static class CoqXml
{
    public static string About() => "<call val=\"About\"><unit/></call>";

    public static string Init() => "<call val=\"Init\"><option val=\"none\"/></call>";

    public static string Goal() => "<call val=\"Goal\"><unit/></call>";

    public static string Status() => "<call val=\"Status\"><bool val=\"true\"/></call>";

    public static string Quit() => "<call val=\"Quit\"><unit/></call>";

    public static string EditAt(int stateId) =>
        string.Create(CultureInfo.InvariantCulture, $"<call val=\"Edit_at\"><state_id val=\"{stateId}\"/></call>");

    /// <summary>The 8.16 <c>Add</c> shape: ((((sentence, editId), (tip, verbose)), bp), (line, bol)).</summary>
    public static string Add(string sentence, int tipStateId, int editId = 0) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"<call val=\"Add\"><pair><pair><pair><pair><string>{SecurityElement.Escape(sentence)}</string><int>{editId}</int></pair><pair><state_id val=\"{tipStateId}\"/><bool val=\"true\"/></pair></pair><int>0</int></pair><pair><int>1</int><int>0</int></pair></pair></call>");

    public static string Query(string text, int stateId) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"<call val=\"Query\"><pair><route_id val=\"0\"/><pair><string>{SecurityElement.Escape(text)}</string><state_id val=\"{stateId}\"/></pair></pair></call>");

    /// <summary>Parses one top-level element of a response. coqidetop writes <c>&amp;nbsp;</c>, which plain XML does not define.</summary>
    public static XElement ParseElement(string xml)
    {
        try
        {
            return XElement.Parse(xml.Replace("&nbsp;", "&#160;", StringComparison.Ordinal), LoadOptions.PreserveWhitespace);
        }
        catch (XmlException exception)
        {
            throw new ProverCrashedException($"coqidetop sent malformed XML: {exception.Message}: {Truncate(xml)}", inner: exception);
        }
    }

    /// <summary>Whether a <c>&lt;value&gt;</c> answer reports a failure.</summary>
    public static bool IsFail(XElement value) => (string?)value.Attribute("val") == "fail";

    /// <summary>The first state id of an answer; an answer without one means the protocol broke.</summary>
    public static int StateId(XElement value)
    {
        var attribute = value.Descendants("state_id").FirstOrDefault()?.Attribute("val")?.Value;
        return attribute is not null && int.TryParse(attribute, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new ProverCrashedException($"coqidetop answered without a state id: {Truncate(value.ToString())}");
    }

    /// <summary>The message of a failed answer.</summary>
    public static string ErrorText(XElement value)
    {
        var text = Text(value.Element("richpp") ?? value.Element("ppdoc") ?? value);
        return text.Length > 0 ? text : "coqidetop reported a failure without a message";
    }

    /// <summary>
    /// The text of a message: a rich pretty-printing element (<c>richpp</c>, laid out by coqidetop, tags dropped) or a Pp
    /// document (<c>ppdoc</c>, what coqidetop sends under <c>--xml_format=Ppcmds</c>), laid out by
    /// <see cref="CoqFrameReader"/>; non-breaking spaces made plain. An element holding neither gives the text of its first
    /// Pp document, else its own text.
    /// </summary>
    public static string Text(XElement? element)
    {
        if (element is null)
        {
            return string.Empty;
        }

        var document = element.Name == "ppdoc" ? element : element.Name == "richpp" ? null : element.Descendants("ppdoc").FirstOrDefault();
        if (document is null)
        {
            return element.Value.Replace('\u00A0', ' ').Trim();
        }

        using var reader = document.CreateReader();
        return CoqFrameReader.Read(reader).Text;
    }

    /// <summary>Reads a <c>&lt;goals&gt;</c> element: foreground, background (flattened), shelved and given-up goals.</summary>
    public static CoqGoals ReadGoals(XElement goals)
    {
        var lists = goals.Elements("list").ToList();
        IReadOnlyList<Goal> Read(XElement? list) => list is null ? [] : [.. list.Descendants("goal").Select(ReadGoal)];
        return new CoqGoals(Read(lists.ElementAtOrDefault(0)), Read(lists.ElementAtOrDefault(1)), Read(lists.ElementAtOrDefault(2)), Read(lists.ElementAtOrDefault(3)));
    }

    public static Goal ReadGoal(XElement goal)
    {
        var id = goal.Element("string")?.Value;
        var hypotheses = goal.Element("list")?.Elements("richpp").Select(h => ParseHypothesis(Text(h))).ToList() ?? [];
        var conclusion = Text(goal.Elements("richpp").FirstOrDefault());
        return new Goal(hypotheses, conclusion, id);
    }

    /// <summary><c>x, y : R</c> → names x, y; <c>n := 3 : nat</c> → name n with body 3.</summary>
    public static Hypothesis ParseHypothesis(string text)
    {
        var colon = IndexOfTopLevelColon(text);
        if (colon < 0)
        {
            return new Hypothesis([text], string.Empty);
        }

        var head = text[..colon].Trim();
        var type = text[(colon + 1)..].Trim();
        string? body = null;
        var define = head.IndexOf(":=", StringComparison.Ordinal);
        if (define >= 0)
        {
            body = head[(define + 2)..].Trim();
            head = head[..define].Trim();
        }

        return new Hypothesis([.. head.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)], type, body);
    }

    private static int IndexOfTopLevelColon(string text)
    {
        // The first " : " that is not part of ":=": hypothesis names never contain colons.
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == ':' && (i + 1 >= text.Length || text[i + 1] != '=') && (i == 0 || text[i - 1] == ' '))
            {
                if (text.IndexOf(":=", StringComparison.Ordinal) is var d && d >= 0 && d < i)
                {
                    // "x := body : type": the type colon follows the body.
                    return text.IndexOf(" : ", d + 2, StringComparison.Ordinal) is var t && t >= 0 ? t + 1 : i;
                }

                return i;
            }
        }

        return -1;
    }

    internal static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;
}

/// <summary>Goals as coqidetop reports them.</summary>
public sealed record CoqGoals(IReadOnlyList<Goal> Foreground, IReadOnlyList<Goal> Background, IReadOnlyList<Goal> Shelved, IReadOnlyList<Goal> GivenUp)
{
    public bool AllDone => Foreground.Count == 0 && Background.Count == 0 && Shelved.Count == 0 && GivenUp.Count == 0;
}

/// <summary>
/// Splits coqidetop's stdout into top-level XML elements, whatever the chunking. Quotes inside tags are honoured, so a
/// <c>&gt;</c> in an attribute cannot end a tag; a top-level element larger than the cap is a protocol error.
/// </summary>
public sealed class CoqXmlFrameDecoder(int maxFrameChars = 64 * 1024 * 1024) : IFrameDecoder<string>
{
    private readonly StringBuilder _frame = new();
    private int _depth;
    private bool _inTag;
    private bool _closing;
    private bool _selfClosing;
    private char _quote;
    private char _previous;

    public string Pending => _frame.ToString();

    public IEnumerable<string> Decode(string chunk)
    {
        var frames = new List<string>();
        foreach (var c in chunk)
        {
            if (_depth == 0 && !_inTag && _frame.Length == 0 && c != '<')
            {
                continue; // whitespace between top-level elements
            }

            _frame.Append(c);
            if (_frame.Length > maxFrameChars)
            {
                throw new ProverCrashedException($"coqidetop sent an element larger than {maxFrameChars} characters");
            }

            if (_inTag)
            {
                if (_quote != '\0')
                {
                    if (c == _quote)
                    {
                        _quote = '\0';
                    }
                }
                else if (c is '"' or '\'')
                {
                    _quote = c;
                }
                else if (c == '/' && _previous == '<')
                {
                    _closing = true;
                }
                else if (c == '>')
                {
                    _inTag = false;
                    _selfClosing = _previous == '/';
                    if (_closing)
                    {
                        _depth--;
                    }
                    else if (!_selfClosing)
                    {
                        _depth++;
                    }

                    if (_depth == 0)
                    {
                        frames.Add(_frame.ToString());
                        _frame.Clear();
                    }
                }
            }
            else if (c == '<')
            {
                _inTag = true;
                _closing = false;
            }

            _previous = c;
        }

        return frames;
    }
}
