using System.Globalization;
using ProofAgent.Agent;
using ProofAgent.Api.Checking;
using ProofAgent.Api.Jobs;
using ProofAgent.Provers;

namespace ProofAgent.Api.Http;

/// <summary>Turns request bodies into validated inputs; every rule that fails is a <see cref="BadBodyException"/> naming the field.</summary>
public static class Validation
{
    public static CheckInput Check(CheckRequestBody body, ApiLimits limits)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(limits);
        var language = Language(body.Language);
        if (body.File is not null)
        {
            if (body.Header is not null || body.Statement is not null || body.Proof is not null)
            {
                throw new BadBodyException("file", "'file' is a whole source file: send it alone, without 'header', 'statement' or 'proof'");
            }

            var file = Required("file", body.File, limits.MaxStatementChars + limits.MaxProofChars);
            SourceParts.ValidateFile(language, file);
            return CheckInput.OfFile(language, file, CheckTimeout(body, limits));
        }

        var (header, statement) = Theorem(body, limits);
        var proof = Text("proof", body.Proof ?? "", limits.MaxProofChars);
        if (language == ProofLanguage.Smt)
        {
            if (proof.Length > 0)
            {
                throw new BadBodyException("proof", "an SMT-LIB script is its own proof obligation: put it in 'statement' and leave 'proof' empty");
            }
        }
        else if (proof.Trim().Length == 0)
        {
            throw new BadBodyException("proof", "'proof' is required (the text that follows the statement, e.g. \"Proof. lia. Qed.\")");
        }

        SourceParts.Validate(language, header, statement, proof);
        return new CheckInput(language, header, statement, proof, CheckTimeout(body, limits));
    }

    private static (string Header, string Statement) Theorem(TheoremRequestBody body, ApiLimits limits) =>
        (Text("header", body.Header ?? "", limits.MaxStatementChars), Required("statement", body.Statement, limits.MaxStatementChars));

    private static TimeSpan CheckTimeout(CheckRequestBody body, ApiLimits limits)
    {
        var timeout = body.Timeout ?? 60;
        if (!(timeout > 0 && timeout <= limits.MaxCheckTimeoutSeconds))
        {
            throw new BadBodyException("timeout", $"'timeout' must be in (0, {F(limits.MaxCheckTimeoutSeconds)}] seconds, got {F(timeout)}");
        }

        return TimeSpan.FromSeconds(timeout);
    }

    public static ProofJobRequest Prove(ProofRequestBody body, ApiLimits limits, Func<string, string?> modelProblem)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(modelProblem);
        var language = Language(body.Language);
        if (language == ProofLanguage.Smt)
        {
            throw new BadBodyException("language", "proof jobs are for theorem provers (coq, lean4, isabelle, fstar); check an SMT-LIB script with POST /v1/check");
        }

        var (header, statement) = Theorem(body, limits);
        var informal = body.InformalStatement is null ? null : Text("informalStatement", body.InformalStatement, limits.MaxStatementChars);
        SourceParts.Validate(language, header, statement, proof: string.Empty);
        var seconds = body.Budget?.Seconds ?? 120;
        if (!(seconds > 0 && seconds <= limits.MaxBudgetSeconds))
        {
            throw new BadBodyException("budget.seconds", $"'budget.seconds' must be in (0, {F(limits.MaxBudgetSeconds)}], got {F(seconds)}");
        }

        var samples = body.Budget?.Samples ?? 4;
        if (samples < 0 || samples > limits.MaxSamples)
        {
            throw new BadBodyException("budget.samples", $"'budget.samples' must be in [0, {limits.MaxSamples}], got {samples}");
        }

        var calls = body.Budget?.MaxProverCalls ?? 2000;
        if (calls is < 1 or > 100_000)
        {
            throw new BadBodyException("budget.maxProverCalls", $"'budget.maxProverCalls' must be in [1, 100000], got {calls}");
        }

        if (body.Model is { } model && modelProblem(model) is { } problem)
        {
            throw new BadBodyException("model", problem);
        }

        var mode = (body.Mode ?? "pipeline") switch
        {
            "pipeline" => ProofMode.Pipeline,
            "agent" => ProofMode.Agent,
            var other => throw new BadBodyException("mode", $"'mode' must be \"pipeline\" or \"agent\", got '{other}'"),
        };
        if (mode == ProofMode.Agent && body.Model is null)
        {
            throw new BadBodyException("mode", "'mode' \"agent\" needs a 'model': the model drives the provers as tools");
        }

        return new ProofJobRequest(language.Id(), header, statement, informal, seconds, samples, calls, body.Model) { Mode = mode };
    }

    public static ProofLanguage Language(string? text)
    {
        if (text is null)
        {
            throw new BadBodyException("language", $"'language' is required; one of {string.Join(", ", ProofLanguages.All.Select(l => l.Id()))}");
        }

        return ProofLanguages.TryParse(text, out var language)
            ? language
            : throw new BadBodyException("language", $"unknown language '{text}'; expected one of {string.Join(", ", ProofLanguages.All.Select(l => l.Id()))}");
    }

    public static string Required(string field, string? text, int maxChars)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new BadBodyException(field, $"'{field}' is required and must not be empty");
        }

        return Text(field, text, maxChars);
    }

    public static string Text(string field, string text, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > maxChars)
        {
            throw new BadBodyException(field, $"'{field}' is {text.Length} characters; the limit is {maxChars}");
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new BadBodyException(field, $"'{field}' contains a NUL character");
        }

        return text;
    }

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);
}
