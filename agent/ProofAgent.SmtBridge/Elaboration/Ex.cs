namespace ProofAgent.SmtBridge.Elaboration;

/// <summary>A translated expression: its SMT-LIB text, its type and, when it is a known integer, its value.</summary>
internal sealed record Ex(string Smt, Ty Type, BigInteger? Value = null);
