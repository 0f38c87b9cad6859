using System.Globalization;
using Newtonsoft.Json.Linq;

namespace ProofAgent.Lsp.Server;

/// <summary>
/// The client's settings (<c>initializationOptions</c> and <c>workspace/didChangeConfiguration</c>), under the names the VS
/// Code extension contributes: <c>serviceUrl</c>, <c>apiKey</c>, <c>model</c>, <c>budgetSeconds</c>,
/// <c>tacticTimeoutSeconds</c>, <c>checkTimeoutSeconds</c>. A settings object may also be nested under <c>proofagent</c>.
/// </summary>
public sealed record LspSettings
{
    public static LspSettings Default { get; } = new();

    /// <summary>A ProofAgent service to forward to; null: check and prove in process.</summary>
    public Uri? ServiceUrl { get; init; }

    public string? ApiKey { get; init; }

    /// <summary>A model of the registry for proofs and completions; null: automation only.</summary>
    public string? Model { get; init; }

    public double BudgetSeconds { get; init; } = 120;

    public double TacticTimeoutSeconds { get; init; } = 4;

    public double CheckTimeoutSeconds { get; init; } = 60;

    public LspSettings WithServiceUrl(Uri? url) => this with { ServiceUrl = url };

    public LspSettings WithApiKey(string? key) => this with { ApiKey = key };

    public LspSettings WithModel(string? model) => this with { Model = model };

    /// <summary>
    /// These settings updated by the ones present in <paramref name="settings"/> (absent ones keep their value; an empty
    /// string or null clears the optional ones). Invalid values are left unchanged and named in <paramref name="problems"/>.
    /// </summary>
    public LspSettings Merge(JToken? settings, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (settings is JObject { } wrapper && wrapper["proofagent"] is JObject nested)
        {
            settings = nested;
        }

        if (settings is not JObject values)
        {
            if (settings is not null && settings.Type is not JTokenType.Null)
            {
                problems.Add($"settings must be an object, got {settings.Type}");
            }

            return this;
        }

        var result = this;
        if (values.TryGetValue("serviceUrl", StringComparison.Ordinal, out var url))
        {
            var text = Text(url);
            if (text is null)
            {
                result = result with { ServiceUrl = null };
            }
            else if (Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https")
            {
                result = result with { ServiceUrl = parsed };
            }
            else
            {
                problems.Add($"serviceUrl '{text}' is not an http(s) URL");
            }
        }

        if (values.TryGetValue("apiKey", StringComparison.Ordinal, out var key))
        {
            result = result with { ApiKey = Text(key) };
        }

        if (values.TryGetValue("model", StringComparison.Ordinal, out var model))
        {
            result = result with { Model = Text(model) };
        }

        if (Seconds(values, "budgetSeconds", 1, 3600, result.BudgetSeconds, problems) is { } budget)
        {
            result = result with { BudgetSeconds = budget };
        }

        if (Seconds(values, "tacticTimeoutSeconds", 1, 600, result.TacticTimeoutSeconds, problems) is { } tactic)
        {
            result = result with { TacticTimeoutSeconds = tactic };
        }

        if (Seconds(values, "checkTimeoutSeconds", 1, 300, result.CheckTimeoutSeconds, problems) is { } check)
        {
            result = result with { CheckTimeoutSeconds = check };
        }

        return result;
    }

    private static string? Text(JToken token) =>
        token.Type == JTokenType.String && ((string?)token)?.Trim() is { Length: > 0 } text ? text : null;

    /// <summary>The new value of a seconds setting, or null when it is absent or invalid (then named in <paramref name="problems"/>).</summary>
    private static double? Seconds(JObject values, string name, double min, double max, double current, List<string> problems)
    {
        if (!values.TryGetValue(name, StringComparison.Ordinal, out var token) || token.Type == JTokenType.Null)
        {
            return null;
        }

        double? value = token.Type is JTokenType.Integer or JTokenType.Float ? token.Value<double>()
            : token.Type == JTokenType.String && double.TryParse((string?)token, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed
            : null;
        if (value is not { } seconds || !(seconds >= min && seconds <= max))
        {
            problems.Add($"{name} must be a number of seconds in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}], got {token.ToString(Newtonsoft.Json.Formatting.None)}; keeping {current.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        return seconds;
    }
}
