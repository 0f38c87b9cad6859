namespace ProofAgent.SmtBridge.Elaboration;

/// <summary>Thrown inside the translator when a construct is outside the fragment; becomes <see cref="SmtTranslation.NotTranslated"/>.</summary>
internal sealed class UntranslatableException(string reason, SourceSpan at) : Exception(reason)
{
    public SourceSpan At { get; } = at;
}
