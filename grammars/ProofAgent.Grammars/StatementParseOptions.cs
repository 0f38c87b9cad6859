namespace ProofAgent.Grammars;

/// <summary>Limits that keep the parser and every recursive consumer of the tree off the end of the stack.</summary>
/// <param name="MaxLength">Longest accepted text, in characters.</param>
/// <param name="MaxTokens">Most tokens in one statement.</param>
/// <param name="MaxNesting">Most nested brackets (checked on tokens, before the recursive-descent parser runs).</param>
/// <param name="MaxDepth">Largest AST height; deeper trees are rejected with the position where the limit was reached.</param>
public sealed record StatementParseOptions(int MaxLength = 1_000_000, int MaxTokens = 100_000, int MaxNesting = 256, int MaxDepth = 1_000)
{
    public static StatementParseOptions Default { get; } = new();

    public StatementParseOptions WithMaxNesting(int nesting) => this with { MaxNesting = nesting };

    public StatementParseOptions WithMaxDepth(int depth) => this with { MaxDepth = depth };
}
