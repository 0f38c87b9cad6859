namespace ProofAgent.Mba;

/// <summary>What <see cref="MbaGenerator"/> generates.</summary>
/// <param name="Bits">The word width n.</param>
/// <param name="Variables">Number of variables (1 to 3).</param>
/// <param name="Depth">Obfuscation depth: how many null-space zero identities are folded into the target.</param>
/// <param name="Polynomial">Wrap the linear MBA in an invertible polynomial pair Q(P(e)) = e, making it non-linear.</param>
/// <param name="Seed">The seed of the generator's random choices.</param>
public sealed record MbaGeneratorOptions(int Bits = 8, int Variables = 2, int Depth = 2, bool Polynomial = false, int Seed = 1)
{
    public static MbaGeneratorOptions Default { get; } = new();

    public MbaGeneratorOptions WithBits(int bits) => this with { Bits = bits };

    public MbaGeneratorOptions WithDepth(int depth) => this with { Depth = depth };

    public MbaGeneratorOptions WithPolynomial(bool polynomial) => this with { Polynomial = polynomial };

    public MbaGeneratorOptions WithSeed(int seed) => this with { Seed = seed };
}
