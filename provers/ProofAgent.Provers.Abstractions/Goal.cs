namespace ProofAgent.Provers;

/// <summary>A named hypothesis in a goal (<c>x y : R</c> has two names).</summary>
public sealed record Hypothesis(IReadOnlyList<string> Names, string Type, string? Body = null)
{
    public override string ToString() => $"{string.Join(" ", Names)} : {Type}";
}

/// <summary>One open goal: hypotheses above the line, the conclusion below.</summary>
public sealed record Goal(IReadOnlyList<Hypothesis> Hypotheses, string Conclusion, string? Id = null)
{
    public override string ToString() =>
        string.Join("\n", Hypotheses.Select(h => h.ToString())) + (Hypotheses.Count > 0 ? "\n" : string.Empty) + "⊢ " + Conclusion;
}
