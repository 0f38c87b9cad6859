using System.Globalization;
using System.Text;
using System.Xml;
using ProofAgent.Provers.Processes;

namespace ProofAgent.Provers.Coq.IdeTop;

/// <summary>What the audit session needs of one top-level element coqidetop sent.</summary>
/// <param name="Kind">The element's name: <c>value</c> (the answer to a call) or <c>feedback</c>.</param>
/// <param name="IsFail">A <c>value</c> that reports a failure.</param>
/// <param name="StateId">The first state id in the element, if any.</param>
/// <param name="Level">The level of the message a <c>feedback</c> carries (<c>notice</c>, <c>warning</c>, ...), if any.</param>
/// <param name="Text">The element's first document (a message, or a failure's error), laid out as text; empty if none.</param>
internal sealed record CoqFrame(string Kind, bool IsFail, int? StateId, string? Level, string Text);

/// <summary>
/// Reads coqidetop's elements in one streaming pass, without building a tree. A printed proof term arrives as a Pp
/// document nested as deep as the term (thousands of levels): LINQ to XML walks up to the root for every node it adds, so
/// building such a tree is quadratic, and an adversarial term would hold the check long past any deadline (CPU work in
/// this process cannot be cancelled). Here every node is visited once.
/// </summary>
internal static class CoqFrameReader
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        CheckCharacters = false,
    };

    /// <summary>Reads one top-level element (coqidetop writes <c>&amp;nbsp;</c>, which plain XML does not define).</summary>
    public static CoqFrame Read(string xml)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml.Replace("&nbsp;", "&#160;", StringComparison.Ordinal)), Settings);
            return Read(reader);
        }
        catch (XmlException exception)
        {
            throw new ProverCrashedException($"coqidetop sent malformed XML: {exception.Message}: {(xml.Length > 500 ? xml[..500] + "…" : xml)}", inner: exception);
        }
    }

    /// <summary>
    /// Reads the element under <paramref name="reader"/>. Its first document is laid out as <c>coqc</c> prints it with a
    /// margin too wide to break at: a <c>ppdoc</c> (what coqidetop sends under <c>--xml_format=Ppcmds</c>) by its strings,
    /// a break as its spaces except in a vertical box, where it is a new line, and a forced new line as one; a
    /// <c>richpp</c> (coqidetop's own layout, which elides boxes nested deeper than 50 with <c>...</c>) by its text.
    /// </summary>
    public static CoqFrame Read(XmlReader reader)
    {
        string? kind = null;
        var fail = false;
        int? state = null;
        string? level = null;
        var text = new StringBuilder();
        var open = new List<Node>();
        var documentDepth = -1;
        var documentDone = false;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    var node = new Node(reader.LocalName, reader.GetAttribute("val"));
                    if (kind is null)
                    {
                        kind = node.Name;
                        fail = node.Name == "value" && node.Value == "fail";
                    }

                    if (node.Name == "state_id" && state is null && int.TryParse(node.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
                    {
                        state = id;
                    }

                    if (node.Name == "message_level")
                    {
                        level ??= node.Value;
                    }

                    var parent = open.Count > 0 ? open[^1] : null;
                    node.Vertical = parent?.Vertical ?? false;
                    node.Rich = parent?.Rich ?? false;
                    node.InDocument = parent?.InDocument ?? false;
                    if (!node.InDocument && !documentDone && node.Name is "ppdoc" or "richpp")
                    {
                        node.InDocument = true;
                        node.Rich = node.Name == "richpp";
                        documentDepth = open.Count;
                    }

                    if (node.InDocument && !node.Rich)
                    {
                        Enter(node, parent, open.Count > 1 ? open[^2] : null, text);
                    }

                    if (reader.IsEmptyElement)
                    {
                        documentDone |= node.InDocument && open.Count == documentDepth;
                    }
                    else
                    {
                        open.Add(node);
                    }

                    break;
                case XmlNodeType.Text or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace or XmlNodeType.CDATA:
                    if (open.Count > 0 && open[^1] is { InDocument: true } current)
                    {
                        Content(current, open.Count > 1 ? open[^2] : null, open.Count > 2 ? open[^3] : null, reader.Value, text);
                    }

                    break;
                case XmlNodeType.EndElement:
                    open.RemoveAt(open.Count - 1);
                    documentDone |= documentDepth >= 0 && open.Count == documentDepth;
                    break;
            }
        }

        return new CoqFrame(kind ?? string.Empty, fail, state, level, text.ToString().Replace('\u00A0', ' ').Trim());
    }

    /// <summary>A Pp element opens: a forced new line prints; a box's kind becomes the context of its contents.</summary>
    private static void Enter(Node node, Node? parent, Node? grandparent, StringBuilder text)
    {
        if (node.Name == "ppdoc" && node.Value == "newline")
        {
            text.Append('\n');
        }
        else if (node.Name == "ppbox" && parent?.Name == "pair" && grandparent is { Name: "ppdoc", Value: "box" })
        {
            // <ppdoc val="box"><pair><ppbox val="vbox"/><ppdoc .../></pair>: the pair holds the boxed document.
            parent.Vertical = node.Value == "vbox";
        }
        else if (node.Name == "int" && parent?.Name == "pair")
        {
            node.Index = parent.Children++;
        }
    }

    /// <summary>Text inside the document: a string of a <c>string</c> document, a comment's words, a break's spaces.</summary>
    private static void Content(Node current, Node? parent, Node? grandparent, string value, StringBuilder text)
    {
        if (current.Rich)
        {
            text.Append(value);
        }
        else if (current.Name == "string" && parent is { Name: "ppdoc", Value: "string" })
        {
            text.Append(value);
        }
        else if (current.Name == "string" && parent?.Name == "list" && grandparent is { Name: "ppdoc", Value: "comment" })
        {
            text.Append(value).Append(' ');
        }
        else if (current is { Name: "int", Index: 0 } && parent?.Name == "pair" && grandparent is { Name: "ppdoc", Value: "break" })
        {
            _ = current.Vertical
                ? text.Append('\n')
                : text.Append(' ', int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 0, 80) : 1);
        }
    }

    private sealed class Node(string name, string? value)
    {
        public string Name { get; } = name;

        public string? Value { get; } = value;

        public bool InDocument { get; set; }

        public bool Rich { get; set; }

        public bool Vertical { get; set; }

        public int Children { get; set; }

        public int Index { get; set; } = -1;
    }
}
