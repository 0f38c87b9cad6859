namespace ProofAgent.BusyBeaver;

/// <summary>How a decider with several parameter sets is run: the sets in order (cheapest first), up to the first certificate.</summary>
internal static class ParameterSweep
{
    public static TCertificate? First<TParameters, TCertificate>(IEnumerable<TParameters> parameters, Func<TParameters, TCertificate?> decide)
        where TCertificate : class
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Select(decide).FirstOrDefault(certificate => certificate is not null);
    }
}
