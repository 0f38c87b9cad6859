using System.Globalization;

namespace ProofAgent.Cli.Infrastructure;

/// <summary>Numeric options read with their range checked: a value outside is a usage error naming the option and its range.</summary>
internal static class OptionRanges
{
    /// <summary>The value of <paramref name="option"/>, which must lie between <paramref name="min"/> and <paramref name="max"/> (both included).</summary>
    public static int Between(this ParseResult parse, Option<int> option, int min, int max)
    {
        var value = parse.GetValue(option);
        return value >= min && value <= max
            ? value
            : throw new UsageException($"{option.Name} must be between {min} and {max}, got {value}");
    }

    /// <summary>
    /// A duration in seconds: above <paramref name="min"/> (or at it, when it is not 0: a zero budget would end at once)
    /// and at most <paramref name="max"/>; NaN is refused.
    /// </summary>
    public static double Seconds(this ParseResult parse, Option<double> option, double max, double min = 0)
    {
        var value = parse.GetValue(option);
        return (min == 0 ? value > 0 : value >= min) && value <= max
            ? value
            : throw new UsageException($"{option.Name} must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} seconds, got {value.ToString(CultureInfo.InvariantCulture)}");
    }
}
