using Microsoft.Extensions.Logging;
using ProofAgent.Api;
using ProofAgent.Api.Tactics;
using ProofAgent.Lsp;
using ProofAgent.Lsp.Backends;
using ProofAgent.Lsp.Server;
using ProofAgent.Models;
using ProofAgent.Models.LlamaCpp;

namespace ProofAgent.Cli.Commands;

/// <summary>
/// <c>agent lsp</c>: the language server (LSP 3.17 over stdio) for any editor. stdout carries only the protocol; logs go to
/// stderr. Checks and proofs run in process (sandboxed provers, as every command builds them) or, with <c>--service</c>,
/// in a running <c>agent serve</c>.
/// </summary>
internal static class LspCommand
{
    public static Command Create()
    {
        var stdio = new Option<bool>("--stdio") { Description = "Talk LSP over stdin/stdout (the default and only transport; accepted because editors pass it)." };
        var service = new Option<string?>("--service") { Description = "Forward checks, proofs and suggestions to a ProofAgent service at this URL (agent serve) instead of running provers here." };
        var apiKey = new Option<string?>("--api-key") { Description = "The service's API key (default: $PROOFAGENT_API_KEY)." };
        var model = new Option<string?>("--model") { Description = "A model of the registry for proofs and completions (default: none, automation only)." };
        var budget = new Option<double?>("--budget-seconds") { Description = "Wall-clock budget of one Prove (default 120)." };
        var logLevel = LogOption.Create("Least severe log level written to stderr.");
        var command = new Command("lsp", "Run the language server (LSP 3.17 over stdio): diagnostics, Prove lenses and actions, hovers, tactic completion.")
        {
            stdio, service, apiKey, model, budget, logLevel, AgentFactory.ModelsFile, SandboxOption.UnsafeNoSandbox,
        };

        command.SetHandler(async (parse, output, cancellationToken) =>
        {
            var initial = new Newtonsoft.Json.Linq.JObject();
            if (parse.GetValue(service) is { } url)
            {
                initial["serviceUrl"] = url;
            }

            if ((parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("PROOFAGENT_API_KEY")) is { Length: > 0 } key)
            {
                initial["apiKey"] = key;
            }

            if (parse.GetValue(model) is { } name)
            {
                initial["model"] = name;
            }

            if (parse.GetValue(budget) is { } seconds)
            {
                initial["budgetSeconds"] = seconds;
            }

            var problems = new List<string>();
            var settings = LspSettings.Default.Merge(initial, problems);
            if (problems.Count > 0)
            {
                throw new UsageException(string.Join("; ", problems));
            }

            // stdout belongs to the protocol: anything else that would print there (a library's Console.WriteLine) goes to stderr.
            await using var stdout = Console.OpenStandardOutput();
            Console.SetOut(Console.Error);
            using var loggers = LogOption.Loggers(parse, logLevel);
            var modelsPath = parse.GetValue(AgentFactory.ModelsFile);

            // The one place the in-process provers are built: the sandboxed host, as every command builds it.
            IProofBackend CreateLocal() => new LocalBackend(
                SandboxOption.CreateHost(parse, output, ProverSettings.FromEnvironment()),
                new ModelHub(new ApiOptions { ModelsPath = modelsPath, ModelRuntimes = [new LlamaCppRuntime(), new OpenAICompatibleRuntime()] }, loggers),
                loggers);

            await using var stdin = Console.OpenStandardInput();
            return await LanguageServerHost.RunAsync(stdin, stdout, settings, CreateLocal, loggers, cancellationToken);
        });
        return command;
    }
}
