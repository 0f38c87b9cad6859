using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using ProofAgent.Grammars.Mpl;

namespace ProofAgent.GenerativeLogic;

/// <summary>The proof graph as written to disk: the definitions (MPL text), the anchor, and every theorem with its proof.</summary>
public sealed record ProofGraph(string Format, string Anchor, string Definitions, IReadOnlyList<ProofGraphTheorem> Theorems);

/// <summary>One theorem of the graph.</summary>
public sealed record ProofGraphTheorem(
    string Name,
    string Statement,
    IReadOnlyList<string> Vars,
    IReadOnlyList<Pattern> Premises,
    Pattern Conclusion,
    [property: JsonConverter(typeof(TheoremProofConverter))] TheoremProof Proof,
    IReadOnlyList<string> Uses,
    IReadOnlyList<string>? RedundantGiven);

/// <summary>JSON and HTML exports of a run; JSON can be read back for <c>agent gl check</c>.</summary>
public static class GlExports
{
    public const string FormatId = "proofagent-gl-proof-graph/1";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string DefinitionsText(Theory theory) =>
        string.Concat(theory.Definitions.Select(d => $"{d.Name}[{string.Join(',', d.Params)}] := {d.Body}\n"));

    public static ProofGraph Graph(Theory theory, IReadOnlyList<ProvedTheorem> proved) => new(
        FormatId,
        theory.Anchor.Name,
        DefinitionsText(theory),
        [.. proved.Select(t => new ProofGraphTheorem(t.Name, t.Statement.ToMpl(theory), t.Statement.Vars, t.Statement.Premises, t.Statement.Conclusion, t.Proof, t.Uses, t.RedundantGiven))]);

    public static string ToJson(ProofGraph graph) => JsonSerializer.Serialize(graph, Json) + "\n";

    /// <summary>Reads a proof graph; the theory is rebuilt from its own definitions text.</summary>
    public static (Theory Theory, IReadOnlyList<ProvedTheorem> Theorems) Read(string json, string source)
    {
        ProofGraph graph;
        try
        {
            graph = JsonSerializer.Deserialize<ProofGraph>(json, Json) ?? throw new GlInputException($"{source}: empty proof graph");
        }
        catch (JsonException e)
        {
            throw new GlInputException($"{source}: not a proof graph: {e.Message}");
        }

        if (graph.Format != FormatId)
        {
            throw new GlInputException($"{source}: format '{graph.Format}' is not {FormatId}");
        }

        var parsed = MplParsing.ParseFile(graph.Definitions, source + "#definitions");
        if (parsed is not MplFile.Definitions defs)
        {
            throw new GlInputException($"{source}: definitions are not named definitions");
        }

        var theory = Theory.FromDefinitions(defs.Items, graph.Anchor);
        return (theory, [.. graph.Theorems.Select(t => new ProvedTheorem(t.Name, new Statement(t.Vars, t.Premises, t.Conclusion), t.Proof, t.Uses) { RedundantGiven = t.RedundantGiven })]);
    }

    /// <summary>index.html and one page per theorem, with step anchors, links to the theorems used, and "used by".</summary>
    public static IReadOnlyDictionary<string, string> Html(Theory theory, IReadOnlyList<ProvedTheorem> proved, IReadOnlyDictionary<string, CheckOutcome> checks, bool? coqChecked)
    {
        var usedBy = proved.SelectMany(t => t.Uses.Select(u => (u, t.Name))).GroupBy(x => x.u, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Name).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        static string E(string s) => WebUtility.HtmlEncode(s);
        const string Head = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>body{font-family:sans-serif;max-width:70em;margin:auto}code{font-size:90%}td{vertical-align:top;padding:2px 6px}</style>";
        var pages = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var index = new StringBuilder(Head + $"<title>GL theorems: {E(theory.Anchor.Name)}</title></head><body>");
        index.Append(CultureInfo.InvariantCulture, $"<h1>Theorems of {E(theory.Anchor.Name)}[{E(string.Join(',', theory.Constants))}]</h1>");
        index.Append(CultureInfo.InvariantCulture, $"<p>{proved.Count} proved, {proved.Count(t => t.RedundantGiven is null)} kept after compression. Coq: {(coqChecked is null ? "not run" : coqChecked.Value ? "all checked by coqc" : "FAILED")}.</p><table>");
        foreach (var t in proved)
        {
            var ok = checks.TryGetValue(t.Name, out var c) && c.Valid;
            index.Append(CultureInfo.InvariantCulture, $"<tr><td><a href=\"{E(t.Name)}.html\">{E(t.Name)}</a></td><td>{(t.RedundantGiven is null ? "kept" : "redundant")}</td><td>{(ok ? "checked" : "NOT CHECKED")}</td><td><code>{E(t.Statement.ToString())}</code></td></tr>");
            var page = new StringBuilder(Head + $"<title>{E(t.Name)}</title></head><body><p><a href=\"index.html\">index</a></p>");
            page.Append(CultureInfo.InvariantCulture, $"<h1>{E(t.Name)}</h1><p><code>{E(t.Statement.ToString())}</code></p><p>MPL: <code>{E(t.Statement.ToMpl(theory))}</code></p>");
            page.Append(CultureInfo.InvariantCulture, $"<p>Independent checker: {(ok ? "valid" : E(c?.Error ?? "not run"))}</p>");
            if (t.RedundantGiven is { } given)
            {
                page.Append(CultureInfo.InvariantCulture, $"<p>Redundant: follows from {string.Join(", ", given.Select(g => $"<a href=\"{E(g)}.html\">{E(g)}</a>"))} and the axioms.</p>");
            }

            page.Append("<p>Uses: ").Append(string.Join(", ", t.Uses.Select(u => $"<a href=\"{E(u)}.html\">{E(u)}</a>"))).Append("</p>");
            page.Append("<p>Used by: ").Append(string.Join(", ", (usedBy.TryGetValue(t.Name, out var ub) ? ub : []).Select(u => $"<a href=\"{E(u)}.html\">{E(u)}</a>"))).Append("</p>");
            void Block(string title, ProofBlock block)
            {
                page.Append(CultureInfo.InvariantCulture, $"<h2>{E(title)}</h2><table>");
                foreach (var step in block.Steps)
                {
                    var (fact, how) = step switch
                    {
                        ProofStep.Hypothesis h => (h.Fact.ToString(), E(h.Label)),
                        ProofStep.Apply a => (a.Fact.ToString(), $"{Rule(a.Rule)} [{E(string.Join(", ", a.Substitution))}] from {Refs(a.Premises)}"),
                        ProofStep.Witness w => (string.Join(" ", w.Facts), $"{Rule(w.Rule)} [{E(string.Join(", ", w.Substitution))}] from {Refs(w.Premises)}; fresh {E(string.Join(", ", w.Witnesses))}"),
                        ProofStep.Rewrite r => (r.Fact.ToString(), $"rewrite {Refs([r.Source])} with {Refs([r.Equality])} at {string.Join(",", r.Positions)}"),
                        ProofStep.Symmetry s => (s.Fact.ToString(), $"symmetry of {Refs([s.Equality])}"),
                        ProofStep.Reflexivity r => (r.Fact.ToString(), "reflexivity"),
                        _ => ("", ""),
                    };
                    page.Append(CultureInfo.InvariantCulture, $"<tr id=\"{E(title)}-{step.Id}\"><td>{step.Id}</td><td><code>{E(fact)}</code></td><td>{how}</td></tr>");
                }

                page.Append(CultureInfo.InvariantCulture, $"</table><p>closed by fact {block.Closing}</p>");

                string Refs(IEnumerable<int> ids) => string.Join(", ", ids.Select(i => $"<a href=\"#{E(title)}-{i}\">{i}</a>"));
            }

            switch (t.Proof)
            {
                case TheoremProof.Direct d:
                    Block("direct", d.Block);
                    break;
                case TheoremProof.Induction i:
                    page.Append(CultureInfo.InvariantCulture, $"<p>Induction on {E(i.Var)}.</p>");
                    Block("typing", i.Typing);
                    Block("base", i.Base);
                    Block("step", i.Step);
                    break;
            }

            page.Append("</body></html>\n");
            pages[t.Name + ".html"] = page.ToString();
        }

        index.Append("</table></body></html>\n");
        pages["index.html"] = index.ToString();
        return pages;

        static string Rule(string r) => r.StartsWith("theorem:", StringComparison.Ordinal) ? $"<a href=\"{E(r[8..])}.html\">{E(r)}</a>" : E(r);
    }
}

/// <summary>JSON for the closed proof hierarchies (a "kind" field names the case).</summary>
internal sealed class TheoremProofConverter : JsonConverter<TheoremProof>
{
    public override TheoremProof Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        var kind = root.GetProperty("kind").GetString();
        ProofBlock B(string name) => ReadBlock(root.GetProperty(name), options);
        return kind switch
        {
            "direct" => new TheoremProof.Direct(B("block")),
            "induction" => new TheoremProof.Induction(root.GetProperty("var").GetString()!, root.GetProperty("n").GetString()!, root.GetProperty("m").GetString()!, B("typing"), B("base"), B("step")),
            _ => throw new JsonException($"unknown proof kind '{kind}'"),
        };
    }

    public override void Write(Utf8JsonWriter writer, TheoremProof value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        switch (value)
        {
            case TheoremProof.Direct d:
                writer.WriteString("kind", "direct");
                writer.WritePropertyName("block");
                WriteBlock(writer, d.Block, options);
                break;
            case TheoremProof.Induction i:
                writer.WriteString("kind", "induction");
                writer.WriteString("var", i.Var);
                writer.WriteString("n", i.N);
                writer.WriteString("m", i.M);
                foreach (var (name, block) in new[] { ("typing", i.Typing), ("base", i.Base), ("step", i.Step) })
                {
                    writer.WritePropertyName(name);
                    WriteBlock(writer, block, options);
                }

                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteBlock(Utf8JsonWriter writer, ProofBlock block, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("closing", block.Closing);
        writer.WriteStartArray("steps");
        foreach (var step in block.Steps)
        {
            var kind = step switch
            {
                ProofStep.Hypothesis => "hypothesis",
                ProofStep.Apply => "apply",
                ProofStep.Witness => "witness",
                ProofStep.Rewrite => "rewrite",
                ProofStep.Symmetry => "symmetry",
                ProofStep.Reflexivity => "reflexivity",
                _ => throw new JsonException("unknown step"),
            };
            var element = JsonSerializer.SerializeToElement(step, step.GetType(), options);
            writer.WriteStartObject();
            writer.WriteString("kind", kind);
            foreach (var p in element.EnumerateObject())
            {
                p.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static ProofBlock ReadBlock(JsonElement e, JsonSerializerOptions options)
    {
        var steps = new List<ProofStep>();
        foreach (var s in e.GetProperty("steps").EnumerateArray())
        {
            var type = s.GetProperty("kind").GetString() switch
            {
                "hypothesis" => typeof(ProofStep.Hypothesis),
                "apply" => typeof(ProofStep.Apply),
                "witness" => typeof(ProofStep.Witness),
                "rewrite" => typeof(ProofStep.Rewrite),
                "symmetry" => typeof(ProofStep.Symmetry),
                "reflexivity" => typeof(ProofStep.Reflexivity),
                var k => throw new JsonException($"unknown step kind '{k}'"),
            };
            steps.Add((ProofStep)(s.Deserialize(type, options) ?? throw new JsonException("empty step")));
        }

        return new ProofBlock(steps, e.GetProperty("closing").GetInt32());
    }
}
