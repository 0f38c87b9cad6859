using System.Text.Json;
using ProofAgent.Grammars.Mpl;

namespace ProofAgent.GenerativeLogic;

/// <summary>Bad definitions: what is wrong and where.</summary>
public sealed class GlInputException(string message) : Exception(message);

/// <summary>An atom whose arguments are names (variables or anchor constants).</summary>
public sealed record Pattern(string Rel, IReadOnlyList<string> Args)
{
    public override string ToString() => $"({Rel}[{string.Join(',', Args)}])";

    public bool Equals(Pattern? other) => other is not null && Rel == other.Rel && Args.SequenceEqual(other.Args);

    public override int GetHashCode() => HashCode.Combine(Rel, Args.Count, Args.Count > 0 ? Args[0] : "");

    public Pattern Rename(IReadOnlyDictionary<string, string> map) => new(Rel, [.. Args.Select(a => map.TryGetValue(a, out var b) ? b : a)]);
}

/// <summary>What a rule concludes.</summary>
public abstract record RuleConclusion
{
    public sealed record Atom(Pattern Fact) : RuleConclusion;

    /// <summary>There are elements <see cref="Vars"/> with all of <see cref="Facts"/>.</summary>
    public sealed record Exists(IReadOnlyList<string> Vars, IReadOnlyList<Pattern> Facts) : RuleConclusion;

    public sealed record Contradiction : RuleConclusion;
}

/// <summary>A Horn-like rule: for all <see cref="Vars"/>, the premises imply the conclusion. Other names are constants.</summary>
public sealed record Rule(string Name, IReadOnlyList<string> Vars, IReadOnlyList<Pattern> Premises, RuleConclusion Conclusion)
{
    /// <summary>The MPL sub-formula of the anchor this rule was normalised from (axioms only), constants substituted.</summary>
    public string? Source { get; init; }

    /// <summary>The same sub-formula as a tree.</summary>
    public MplFormula? SourceFormula { get; init; }
}

/// <summary>The axiomatic content of an anchor: constants, ground facts, rules and the induction principle.</summary>
public sealed record Theory(
    MplDefinition Anchor,
    IReadOnlyList<MplDefinition> Definitions,
    IReadOnlyList<Pattern> Facts,
    IReadOnlyList<Rule> Axioms,
    Pattern? Induction)
{
    public IReadOnlyList<string> Constants => Anchor.Params;

    /// <summary>Loads a definition file or folder (this project's `Name[params] := formula` files, or GL's layout).</summary>
    public static Theory Load(string path, string? anchorName = null)
    {
        var definitions = DefinitionLoader.Load(path);
        return FromDefinitions(definitions, anchorName);
    }

    public static Theory FromDefinitions(IReadOnlyList<MplDefinition> definitions, string? anchorName = null)
    {
        if (definitions.Count == 0)
        {
            throw new GlInputException("no definitions found");
        }

        var byName = new Dictionary<string, MplDefinition>(StringComparer.Ordinal);
        foreach (var d in definitions)
        {
            if (!byName.TryAdd(d.Name, d))
            {
                throw new GlInputException($"{d.Position}: definition '{d.Name}' is defined twice (first at {byName[d.Name].Position})");
            }
        }

        var anchor = anchorName is null ? definitions[^1]
            : byName.TryGetValue(anchorName, out var named) ? named
            : throw new GlInputException($"anchor '{anchorName}' is not defined; definitions: {string.Join(", ", byName.Keys.Order(StringComparer.Ordinal))}");
        return new Normaliser(byName, anchor).Build(definitions);
    }

    private sealed class Normaliser(Dictionary<string, MplDefinition> byName, MplDefinition anchor)
    {
        private readonly List<Pattern> _facts = [];
        private readonly List<Rule> _rules = [];
        private Pattern? _induction;
        private int _fresh;

        public Theory Build(IReadOnlyList<MplDefinition> definitions)
        {
            var constants = new HashSet<string>(anchor.Params, StringComparer.Ordinal);
            if (constants.Count != anchor.Params.Count)
            {
                throw new GlInputException($"{anchor.Position}: anchor '{anchor.Name}' repeats a parameter");
            }

            Top(anchor.Body, new Dictionary<string, string>(StringComparer.Ordinal), anchor.Name, 0);
            return new Theory(anchor, definitions, _facts, _rules, _induction);
        }

        private void Top(MplFormula formula, IReadOnlyDictionary<string, string> subst, string path, int depth)
        {
            if (depth > 64)
            {
                throw new GlInputException($"{formula.Position}: definitions expand more than 64 levels deep (recursive definition?)");
            }

            switch (formula)
            {
                case MplFormula.And and:
                    Top(and.Left, subst, path, depth);
                    Top(and.Right, subst, path, depth);
                    break;
                case MplFormula.Atom atom when byName.TryGetValue(atom.Name, out var def):
                    Top(def.Body, Bind(def, atom, subst), def.Name, depth + 1);
                    break;
                case MplFormula.Atom atom when atom.Name == "induction":
                    CheckArity(atom, 3);
                    _induction = Instantiate(atom, subst);
                    break;
                case MplFormula.Atom atom:
                    _facts.Add(Instantiate(atom, subst));
                    break;
                case MplFormula.Not { Inner: MplFormula.Atom neg } not:
                    _rules.Add(new Rule(RuleName(path), [], [Instantiate(neg, subst)], new RuleConclusion.Contradiction()) { Source = Show(not, subst), SourceFormula = Substitute(not, subst) });
                    break;
                case MplFormula.ForAll all:
                    var rules = new List<Rule>();
                    Implication(all, subst, [], [], rules);
                    for (var i = 0; i < rules.Count; i++)
                    {
                        _rules.Add(rules[i] with { Name = RuleName(path) });
                        _rules[^1] = _rules[^1] with { Source = Show(all, subst), SourceFormula = Substitute(all, subst) };
                    }

                    break;
                default:
                    throw new GlInputException($"{formula.Position}: unsupported top-level formula in the anchor: {formula}");
            }
        }

        private string RuleName(string path) => $"{path}_{++_fresh}";

        private static string Show(MplFormula formula, IReadOnlyDictionary<string, string> subst) => Substitute(formula, subst).ToString();

        private static MplFormula Substitute(MplFormula formula, IReadOnlyDictionary<string, string> subst) => formula switch
        {
            MplFormula.Atom a => a with { Args = [.. a.Args.Select(x => subst.TryGetValue(x, out var y) ? y : x)] },
            MplFormula.And a => a with { Left = Substitute(a.Left, subst), Right = Substitute(a.Right, subst) },
            MplFormula.Not n => n with { Inner = Substitute(n.Inner, subst) },
            MplFormula.ForAll f => f with
            {
                Vars = [.. f.Vars.Select(x => subst.TryGetValue(x, out var y) ? y : x)],
                Premise = Substitute(f.Premise, subst),
                Conclusion = Substitute(f.Conclusion, subst),
            },
            _ => formula,
        };

        private Dictionary<string, string> Bind(MplDefinition def, MplFormula.Atom use, IReadOnlyDictionary<string, string> subst)
        {
            CheckArity(use, def.Params.Count);
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < def.Params.Count; i++)
            {
                map[def.Params[i]] = subst.TryGetValue(use.Args[i], out var v) ? v : use.Args[i];
            }

            return map;
        }

        private void CheckArity(MplFormula.Atom atom, int arity)
        {
            var expected = byName.TryGetValue(atom.Name, out var d) ? d.Params.Count : arity;
            if (atom.Args.Count != expected)
            {
                throw new GlInputException($"{atom.Position}: '{atom.Name}' takes {expected} arguments, got {atom.Args.Count}");
            }
        }

        private static Pattern Instantiate(MplFormula.Atom atom, IReadOnlyDictionary<string, string> subst)
        {
            var arity = atom.Name switch { "in" => 2, "in2" => 3, "in3" => 4, "=" => 2, _ => -1 };
            if (arity >= 0 && atom.Args.Count != arity)
            {
                throw new GlInputException($"{atom.Position}: '{atom.Name}' takes {arity} arguments, got {atom.Args.Count}");
            }

            return new Pattern(atom.Name, [.. atom.Args.Select(a => subst.TryGetValue(a, out var v) ? v : a)]);
        }

        /// <summary>Bound variables are renamed apart (x1, x2, ...) so that nested binders never capture.</summary>
        private Dictionary<string, string> BindVars(IReadOnlyList<string> vars, IReadOnlyDictionary<string, string> subst, List<string> bound)
        {
            var inner = new Dictionary<string, string>(subst, StringComparer.Ordinal);
            foreach (var v in vars)
            {
                var name = $"x{bound.Count + 1}";
                inner[v] = name;
                bound.Add(name);
            }

            return inner;
        }

        private void Implication(MplFormula.ForAll all, IReadOnlyDictionary<string, string> subst, List<string> bound, List<Pattern> premises, List<Rule> output)
        {
            var boundHere = new List<string>(bound);
            var inner = BindVars(all.Vars, subst, boundHere);
            var prem = new List<Pattern>(premises);
            Conjuncts(all.Premise, inner, prem, 0);
            Conclusion(all.Conclusion, inner, boundHere, prem, output, 0);
        }

        private void Conjuncts(MplFormula formula, IReadOnlyDictionary<string, string> subst, List<Pattern> into, int depth)
        {
            switch (formula)
            {
                case MplFormula.And and:
                    Conjuncts(and.Left, subst, into, depth);
                    Conjuncts(and.Right, subst, into, depth);
                    break;
                case MplFormula.Atom atom when byName.TryGetValue(atom.Name, out var def) && depth < 64:
                    Conjuncts(def.Body, Bind(def, atom, subst), into, depth + 1);
                    break;
                case MplFormula.Atom atom:
                    into.Add(Instantiate(atom, subst));
                    break;
                default:
                    throw new GlInputException($"{formula.Position}: a premise must be a conjunction of atoms, got {formula}");
            }
        }

        private void Conclusion(MplFormula formula, IReadOnlyDictionary<string, string> subst, List<string> bound, List<Pattern> premises, List<Rule> output, int depth)
        {
            switch (formula)
            {
                case MplFormula.And and:
                    Conclusion(and.Left, subst, bound, premises, output, depth);
                    Conclusion(and.Right, subst, bound, premises, output, depth);
                    break;
                case MplFormula.Atom atom when byName.TryGetValue(atom.Name, out var def) && depth < 64:
                    Conclusion(def.Body, Bind(def, atom, subst), bound, premises, output, depth + 1);
                    break;
                case MplFormula.Atom atom:
                    output.Add(new Rule("", [.. bound], [.. premises], new RuleConclusion.Atom(Instantiate(atom, subst))));
                    break;
                case MplFormula.ForAll all:
                    Implication(all, subst, bound, premises, output);
                    break;
                case MplFormula.Not { Inner: MplFormula.Atom atom }:
                    output.Add(new Rule("", [.. bound], [.. premises, Instantiate(atom, subst)], new RuleConclusion.Contradiction()));
                    break;
                case MplFormula.Not { Inner: MplFormula.ForAll { Conclusion: MplFormula.Not negated } all }:
                    // !(>[z] A !B) is, classically, "there is z with A and B".
                    var boundHere = new List<string>(bound);
                    var inner = BindVars(all.Vars, subst, boundHere);
                    var facts = new List<Pattern>();
                    Conjuncts(all.Premise, inner, facts, 0);
                    Conjuncts(negated.Inner, inner, facts, 0);
                    output.Add(new Rule("", [.. bound], [.. premises], new RuleConclusion.Exists([.. boundHere.Skip(bound.Count)], facts)));
                    break;
                default:
                    throw new GlInputException($"{formula.Position}: unsupported conclusion {formula}: expected an atom, a conjunction, an implication, a negated atom or an existential !(>[z] A !B)");
            }
        }
    }
}

/// <summary>Reads definition files: `Name[params] := formula` files (*.mpl), or GL's layout (definitions/*.txt + config/*.json).</summary>
public static class DefinitionLoader
{
    public static IReadOnlyList<MplDefinition> Load(string path)
    {
        if (File.Exists(path))
        {
            return FromFile(path);
        }

        if (!Directory.Exists(path))
        {
            throw new GlInputException($"definitions not found: '{path}' is neither a file nor a folder");
        }

        var glDefinitions = Path.Combine(path, "definitions");
        var glConfig = Path.Combine(path, "config");
        if (Directory.Exists(glDefinitions) && Directory.Exists(glConfig))
        {
            return FromGlLayout(glDefinitions, glConfig);
        }

        var files = Directory.GetFiles(path, "*.mpl").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new GlInputException($"no *.mpl files in '{path}' (and no GL layout definitions/ + config/)");
        }

        return [.. files.SelectMany(FromFile)];
    }

    private static IReadOnlyList<MplDefinition> FromFile(string file)
    {
        var parsed = Parse(File.ReadAllText(file), file);
        return parsed switch
        {
            MplFile.Definitions defs => defs.Items,
            _ => throw new GlInputException($"{file}: expected named definitions `Name[params] := formula` (a bare formula is GL's layout, which needs a config/ folder beside definitions/)"),
        };
    }

    private static MplFile Parse(string text, string source)
    {
        try
        {
            return MplParsing.ParseFile(text, source);
        }
        catch (MplParseException e)
        {
            throw new GlInputException(e.Message);
        }
    }

    /// <summary>
    /// GL's layout: each definitions/NAME.txt holds one formula; the parameter names come from the `short_mpl` of NAME in
    /// config/*.json. GL's prover builds induction over NaturalNumbers[N,i0,s,...] in; here that becomes an explicit
    /// induction[N,i0,s] conjunct of NaturalNumbers, so that it is visible in the proofs and in the Coq export.
    /// </summary>
    private static IReadOnlyList<MplDefinition> FromGlLayout(string definitionsDir, string configDir)
    {
        var signatures = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var json in Directory.GetFiles(configDir, "*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Value.ValueKind == JsonValueKind.Object && entry.Value.TryGetProperty("short_mpl", out var shortMpl) && shortMpl.GetString() is { } text
                    && MplParsing.ParseFormula(text, json) is MplFormula.Atom atom && atom.Name == entry.Name)
                {
                    signatures[entry.Name] = [.. atom.Args];
                }
            }
        }

        var result = new List<MplDefinition>();
        var files = Directory.GetFiles(definitionsDir, "*.txt").Order(StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (!signatures.TryGetValue(name, out var parameters))
            {
                throw new GlInputException($"{file}: no short_mpl signature for '{name}' in {configDir}/*.json");
            }

            var formula = Parse(File.ReadAllText(file), file) switch
            {
                MplFile.SingleFormula single => single.Formula,
                _ => throw new GlInputException($"{file}: GL's layout expects one formula per file"),
            };
            if (name == "NaturalNumbers" && parameters.Length >= 3)
            {
                formula = new MplFormula.And(new MplFormula.Atom("induction", [parameters[0], parameters[1], parameters[2]], formula.Position), formula, formula.Position);
            }

            result.Add(new MplDefinition(name, parameters, formula, new SourcePosition(file, 1, 1)));
        }

        // GL's anchor is the definition named Anchor*; put it last so that it is the default anchor.
        return [.. result.Where(d => !d.Name.StartsWith("Anchor", StringComparison.Ordinal)), .. result.Where(d => d.Name.StartsWith("Anchor", StringComparison.Ordinal))];
    }
}
