using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace ProofAgent.Cli.Tests;

/// <summary>
/// The map a newcomer reads first must be true: the dependency graph in docs/CONTRIBUTING.md is the one the product
/// projects' references draw, and every product project appears in it.
/// </summary>
public sealed partial class DocsTests
{
    [Fact]
    public void Should_draw_in_CONTRIBUTING_the_dependency_graph_of_the_project_files()
    {
        var root = TestPaths.RepositoryRoot;
        var documented = DocumentedGraph(File.ReadAllText(Path.Combine(root, "docs", "CONTRIBUTING.md")));
        var actual = ProjectGraph(root);

        var missing = actual.Keys.Except(documented.Keys, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "projects missing from docs/CONTRIBUTING.md: " + string.Join(", ", missing));
        var stale = documented.Keys.Except(actual.Keys, StringComparer.Ordinal).ToList();
        Assert.True(stale.Count == 0, "docs/CONTRIBUTING.md lists projects that do not exist: " + string.Join(", ", stale));
        foreach (var (project, references) in actual)
        {
            Assert.True(
                references.SetEquals(documented[project]),
                $"{project}: the .csproj references {Show(references)}, docs/CONTRIBUTING.md says {Show(documented[project])}");
        }
    }

    private static string Show(IEnumerable<string> names) => names.Any() ? string.Join(", ", names.Order(StringComparer.Ordinal)) : "(none)";

    private static string Short(string name) => name.StartsWith("ProofAgent.", StringComparison.Ordinal) ? name["ProofAgent.".Length..] : name;

    private static Dictionary<string, HashSet<string>> DocumentedGraph(string markdown)
    {
        var start = markdown.IndexOf("<!-- dependency-graph:start -->", StringComparison.Ordinal);
        var end = markdown.IndexOf("<!-- dependency-graph:end -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/CONTRIBUTING.md has no dependency-graph block");
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (Match line in EdgeLine().Matches(markdown[start..end]))
        {
            var targets = line.Groups["to"].Value.Trim();
            graph[line.Groups["from"].Value] = targets == "(none)"
                ? new HashSet<string>(StringComparer.Ordinal)
                : targets.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        }

        return graph;
    }

    /// <summary>The product projects (everything outside tests/) and their project references, by short name.</summary>
    private static Dictionary<string, HashSet<string>> ProjectGraph(string root)
    {
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var csproj in Directory.EnumerateFiles(root, "*.csproj", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, csproj).Replace('\\', '/');
            if (relative.StartsWith("tests/", StringComparison.Ordinal) || relative.Contains("/node_modules/", StringComparison.Ordinal) ||
                relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal))
            {
                continue;
            }

            var references = XDocument.Load(csproj).Descendants("ProjectReference")
                .Select(r => (string?)r.Attribute("Include"))
                .OfType<string>()
                .Select(include => Short(Path.GetFileNameWithoutExtension(include.Replace('\\', '/'))));
            graph[Short(Path.GetFileNameWithoutExtension(csproj))] = references.ToHashSet(StringComparer.Ordinal);
        }

        return graph;
    }

    [GeneratedRegex(@"^- (?<from>[A-Za-z.]+) -> (?<to>.+)$", RegexOptions.Multiline)]
    private static partial Regex EdgeLine();
}
