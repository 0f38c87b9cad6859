using System.Text;

namespace ProofAgent.Provers.Smt;

/// <summary>An SMT-LIB S-expression: an atom (symbol, numeral, string, keyword) or a list.</summary>
public abstract record SExpr
{
    private SExpr()
    {
    }

    public sealed record Atom(string Text) : SExpr
    {
        public override string ToString() => Text;
    }

    public sealed record List(IReadOnlyList<SExpr> Items) : SExpr
    {
        // Iterative (see Canonical): a recursive printer overflowed the stack on the 10,000-deep lists the parser accepts.
        public override string ToString() => Canonical(this);
    }

    /// <summary>True for the atom <paramref name="text"/>.</summary>
    public bool IsAtom(string text) => this is Atom atom && atom.Text == text;

    /// <summary>The head symbol of a list, or null.</summary>
    public string? Head => this is List { Items: [Atom head, ..] } ? head.Text : null;

    /// <summary>
    /// Parses every top-level S-expression in <paramref name="text"/>. Comments (<c>;</c> to end of line), strings
    /// (<c>"..."</c> with <c>""</c> escapes) and quoted symbols (<c>|...|</c>) are understood. Nesting is capped to refuse
    /// hostile input without overflowing the stack.
    /// </summary>
    public static IReadOnlyList<SExpr> ParseAll(string text, int maxDepth = 10_000)
    {
        var result = new List<SExpr>();
        var stack = new Stack<List<SExpr>>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == ';')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '(')
            {
                if (stack.Count >= maxDepth)
                {
                    throw new FormatException($"S-expression nested deeper than {maxDepth} at offset {i}");
                }

                stack.Push([]);
                i++;
            }
            else if (c == ')')
            {
                if (stack.Count == 0)
                {
                    throw new FormatException($"unbalanced ')' at offset {i}");
                }

                var done = new List(stack.Pop());
                Add(done);
                i++;
            }
            else
            {
                var start = i;
                if (c == '"')
                {
                    i++;
                    while (i < text.Length)
                    {
                        if (text[i] == '"')
                        {
                            if (i + 1 < text.Length && text[i + 1] == '"')
                            {
                                i += 2;
                                continue;
                            }

                            break;
                        }

                        i++;
                    }

                    if (i >= text.Length)
                    {
                        throw new FormatException($"unterminated string starting at offset {start}");
                    }

                    i++;
                }
                else if (c == '|')
                {
                    var close = text.IndexOf('|', i + 1);
                    if (close < 0)
                    {
                        throw new FormatException($"unterminated quoted symbol starting at offset {start}");
                    }

                    i = close + 1;
                }
                else
                {
                    while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not '(' and not ')' and not ';' and not '"')
                    {
                        i++;
                    }
                }

                Add(new Atom(text[start..i]));
            }
        }

        if (stack.Count > 0)
        {
            throw new FormatException($"{stack.Count} unclosed '(' at end of input");
        }

        return result;

        void Add(SExpr expr)
        {
            if (stack.Count > 0)
            {
                stack.Peek().Add(expr);
            }
            else
            {
                result.Add(expr);
            }
        }
    }

    /// <summary>The unquoted content of a string atom (<c>"a""b"</c> → <c>a"b</c>).</summary>
    public static string Unquote(string atom) =>
        atom.Length >= 2 && atom[0] == '"' && atom[^1] == '"' ? atom[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : atom;

    /// <summary>SMT-LIB string literal for arbitrary text.</summary>
    public static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    internal static string Canonical(SExpr expr)
    {
        // An explicit stack instead of recursion: the parser accepts 10,000-deep lists (found by fuzzing, see
        // tests/ProofAgent.Security.Tests), deeper than a thread-pool stack can recurse.
        var builder = new StringBuilder();
        var pending = new Stack<(SExpr Expr, int Next)>();
        pending.Push((expr, 0));
        while (pending.Count > 0)
        {
            var (current, next) = pending.Pop();
            switch (current)
            {
                case Atom a:
                    builder.Append(a.Text);
                    break;
                case List l when next == 0 && l.Items.Count == 0:
                    builder.Append("()");
                    break;
                case List l when next < l.Items.Count:
                    builder.Append(next == 0 ? "(" : " ");
                    pending.Push((l, next + 1));
                    pending.Push((l.Items[next], 0));
                    break;
                case List:
                    builder.Append(')');
                    break;
            }
        }

        return builder.ToString();
    }
}
