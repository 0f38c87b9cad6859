using System.CommandLine;
using ProofAgent.Api;
using ProofAgent.Cli.Infrastructure;
using ProofAgent.Core.Provers;
using ProofAgent.Models;
using ProofAgent.Models.LlamaCpp;
using ProofAgent.Provers.Processes.Sandbox;
using Spectre.Console;

namespace ProofAgent.Cli.Commands;

/// <summary>
/// <c>agent serve</c>: the REST service (agent/ProofAgent.Api/README.md). Runs until Ctrl+C / SIGTERM. With <c>--json</c>,
/// stdout carries one JSON object once the server listens (its URLs and database); logs go to stderr.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string[]>("--urls")
        {
            Description = "Listening URLs (port 0: any free port).",
            DefaultValueFactory = _ => ["http://127.0.0.1:8080"],
            AllowMultipleArgumentsPerToken = true,
        };
        var db = new Option<string?>("--db") { Description = $"The SQLite database of jobs and the verification cache (default {ApiOptions.DefaultDatabasePath()})." };
        var apiKeys = new Option<string[]>("--api-key")
        {
            Description = "An accepted API key (repeatable; also $PROOFAGENT_API_KEYS, comma-separated). Required unless bound to loopback only.",
            AllowMultipleArgumentsPerToken = false,
        };
        var models = new Option<string?>("--models") { Description = $"The model registry JSON file (default: ${ModelConfiguration.EnvironmentVariable})." };
        var checks = new Option<int>("--checks-per-prover") { Description = "Checks that may run at once per prover; more get 429.", DefaultValueFactory = _ => Math.Max(2, Environment.ProcessorCount) };
        var jobs = new Option<int>("--jobs") { Description = "Proof jobs that run at once.", DefaultValueFactory = _ => 1 };
        var command = new Command("serve", "Run the REST service: checks, proof jobs with progress streams, tactic suggestions.")
        {
            urls, db, apiKeys, models, checks, jobs, AgentFactory.NoSmt, SandboxOption.UnsafeNoSandbox, SandboxOption.TrustRecursion, SandboxOption.TrustModules,
        };

        command.SetHandler(async (parse, output, cancellationToken) =>
        {
            var keys = (parse.GetValue(apiKeys) ?? [])
                .Concat((Environment.GetEnvironmentVariable("PROOFAGENT_API_KEYS") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .ToList();
            var checkSlots = parse.GetValue(checks);
            var jobSlots = parse.GetValue(jobs);
            if (checkSlots is < 1 or > 1024)
            {
                throw new UsageException($"--checks-per-prover must be between 1 and 1024, got {checkSlots}");
            }

            if (jobSlots is < 1 or > 256)
            {
                throw new UsageException($"--jobs must be between 1 and 256, got {jobSlots}");
            }

            var settings = SandboxOption.WithTrust(parse, ProverSettings.FromEnvironment());
            if (parse.GetValue(SandboxOption.UnsafeNoSandbox))
            {
                settings = settings with { Sandbox = settings.Sandbox.WithMode(SandboxMode.UnsafeDisabled) };
            }

            var options = new ApiOptions
            {
                Urls = parse.GetValue(urls) ?? [],
                DatabasePath = parse.GetValue(db) ?? ApiOptions.DefaultDatabasePath(),
                ApiKeys = keys,
                ModelsPath = parse.GetValue(models),
                ModelRuntimes = [new LlamaCppRuntime(), new OpenAICompatibleRuntime()],
                ChecksPerProver = checkSlots,
                ConcurrentJobs = jobSlots,
                JsonLogs = output.Json,
                Provers = settings,
                SmtOracle = !parse.GetValue(AgentFactory.NoSmt),
            };

            ProofApiServer server;
            try
            {
                server = await ProofApiServer.StartAsync(options, cancellationToken: cancellationToken);
            }
            catch (Exception exception) when (exception is ApiConfigurationException or ModelException { IsUserError: true } or IOException)
            {
                throw new UsageException(exception.Message);
            }

            await using (server)
            {
                if (output.Json)
                {
                    output.WriteJson(new { urls = server.Urls, database = Path.GetFullPath(options.DatabasePath), auth = keys.Count > 0 ? "api-key" : "none (loopback only)" });
                }

                output.Error.WriteLine($"listening on {string.Join(", ", server.Urls)} (database {Path.GetFullPath(options.DatabasePath)}; API documentation at /scalar)");
                await server.WaitForShutdownAsync(cancellationToken);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
