namespace ProofAgent.Provers;

/// <summary>Identifies a proof state inside one session.</summary>
public readonly record struct ProofStateId(long Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
