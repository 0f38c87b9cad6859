using System.Globalization;
using System.Net;
using ProofAgent.Api;
using ProofAgent.Cluster;
using ProofAgent.Models;
using ProofAgent.Models.LlamaCpp;
using ProofAgent.Provers.Processes.Sandbox;
using Spectre.Console;

namespace ProofAgent.Cli.Commands;

/// <summary>
/// <c>agent serve</c>: the REST service (agent/ProofAgent.Api/README.md). Runs until Ctrl+C / SIGTERM. With <c>--json</c>,
/// stdout carries one JSON object once the server listens (its URLs and where its state lives); logs go to stderr. With
/// <c>--store</c> and <c>--cluster</c> the process is one node of a cluster (docs/CLUSTER.md).
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
        var db = new Option<string?>("--db") { Description = $"The SQLite database of jobs and the verification cache (default {ApiOptions.DefaultDatabasePath()}); not with --store." };
        var apiKeys = new Option<string[]>("--api-key")
        {
            Description = "An accepted API key (repeatable; also $PROOFAGENT_API_KEYS, comma-separated). Required unless bound to loopback only. Every node of a cluster needs the same keys.",
            AllowMultipleArgumentsPerToken = false,
        };
        var models = new Option<string?>("--models") { Description = $"The model registry JSON file (default: ${ModelConfiguration.EnvironmentVariable})." };
        var checks = new Option<int>("--checks-per-prover") { Description = "Checks that may run at once per prover; more wait in the check queue.", DefaultValueFactory = _ => Math.Max(2, Environment.ProcessorCount) };
        var checkQueue = new Option<int>("--check-queue") { Description = "Checks that may wait (first in, first out) per prover; one more gets 429.", DefaultValueFactory = _ => 32 };
        var checkWait = new Option<double>("--check-wait") { Description = "Seconds a check may wait in the queue before it gets 429.", DefaultValueFactory = _ => 60 };
        var jobs = new Option<int>("--jobs") { Description = "Proof jobs that run at once (on this node).", DefaultValueFactory = _ => 1 };
        var store = new Option<string?>("--store") { Description = "Cluster mode: the Npgsql connection string of the shared PostgreSQL store (Host=...;Database=...;Username=...). Also $PROOFAGENT_STORE." };
        var cluster = new Option<string?>("--cluster") { Description = "Cluster mode: the cluster's name; nodes with the same name and store form one cluster (default 'proofagent' with --store)." };
        var siloPort = new Option<int>("--silo-port") { Description = "Cluster mode: the port other nodes reach this one on.", DefaultValueFactory = _ => 11111 };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "Cluster mode: the Orleans gateway port for external Orleans clients (0: none).", DefaultValueFactory = _ => 0 };
        var advertise = new Option<string?>("--advertise") { Description = "Cluster mode: the IP address other nodes reach this one on (default 127.0.0.1 when every --urls is loopback; required otherwise)." };
        var command = new Command("serve", "Run the REST service: checks, proof jobs with progress streams, tactic suggestions; alone or as one node of a cluster.")
        {
            urls, db, apiKeys, models, checks, checkQueue, checkWait, jobs, store, cluster, siloPort, gatewayPort, advertise, AgentFactory.NoSmt, SandboxOption.UnsafeNoSandbox, SandboxOption.TrustRecursion, SandboxOption.TrustModules,
        };

        command.SetHandler(async (parse, output, cancellationToken) =>
        {
            var keys = (parse.GetValue(apiKeys) ?? [])
                .Concat((Environment.GetEnvironmentVariable("PROOFAGENT_API_KEYS") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .ToList();
            var checkSlots = parse.GetValue(checks);
            var jobSlots = parse.GetValue(jobs);
            var queued = parse.GetValue(checkQueue);
            var wait = parse.GetValue(checkWait);
            if (checkSlots is < 1 or > 1024)
            {
                throw new UsageException($"--checks-per-prover must be between 1 and 1024, got {checkSlots}");
            }

            if (queued is < 0 or > 100_000)
            {
                throw new UsageException($"--check-queue must be between 0 and 100000, got {queued}");
            }

            if (!(wait >= 0 && wait <= 3600))
            {
                throw new UsageException($"--check-wait must be between 0 and 3600 seconds, got {wait.ToString(CultureInfo.InvariantCulture)}");
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

            var listen = parse.GetValue(urls) ?? [];
            var options = new ApiOptions
            {
                Urls = listen,
                DatabasePath = parse.GetValue(db) ?? ApiOptions.DefaultDatabasePath(),
                ApiKeys = keys,
                ModelsPath = parse.GetValue(models),
                ModelRuntimes = [new LlamaCppRuntime(), new OpenAICompatibleRuntime()],
                ChecksPerProver = checkSlots,
                MaxQueuedChecks = queued,
                MaxCheckWait = TimeSpan.FromSeconds(wait),
                ConcurrentJobs = jobSlots,
                JsonLogs = output.Json,
                Provers = settings,
                SmtOracle = !parse.GetValue(AgentFactory.NoSmt),
            };

            var clusterSettings = ClusterFrom(parse, store, cluster, siloPort, gatewayPort, advertise, db, listen);
            if (clusterSettings is not null)
            {
                options = options.WithBackend(new ClusterBackend(clusterSettings)) with { NodeName = clusterSettings.NodeName };
            }

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
                var where = (options.Backend ?? server.Backend).Description;
                if (output.Json)
                {
                    output.WriteJson(new
                    {
                        urls = server.Urls,
                        database = clusterSettings is null ? Path.GetFullPath(options.DatabasePath) : null,
                        cluster = clusterSettings is null ? null : new { name = clusterSettings.Name, node = clusterSettings.NodeName, siloPort = clusterSettings.SiloPort },
                        store = where,
                        auth = keys.Count > 0 ? "api-key" : "none (loopback only)",
                    });
                }

                output.Error.WriteLine($"listening on {string.Join(", ", server.Urls)} ({where}; API documentation at /scalar)");
                await server.WaitForShutdownAsync(cancellationToken);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The cluster settings when <c>--store</c> (or $PROOFAGENT_STORE) is given; null for the embedded default.</summary>
    private static ClusterSettings? ClusterFrom(ParseResult parse, Option<string?> store, Option<string?> cluster, Option<int> siloPort, Option<int> gatewayPort, Option<string?> advertise, Option<string?> db, IReadOnlyList<string> urls)
    {
        var connection = parse.GetValue(store) ?? Environment.GetEnvironmentVariable("PROOFAGENT_STORE");
        var name = parse.GetValue(cluster);
        if (string.IsNullOrWhiteSpace(connection))
        {
            return name is null && !Given(parse, advertise) && !Given(parse, siloPort) && !Given(parse, gatewayPort)
                ? null
                : throw new UsageException("--cluster, --silo-port, --gateway-port and --advertise need --store CONNECTION (the shared PostgreSQL store)");
        }

        if (parse.GetValue(db) is not null)
        {
            throw new UsageException("--db (the embedded SQLite store) and --store (the cluster's PostgreSQL store) exclude each other");
        }

        name ??= "proofagent";
        if (name.Length is 0 or > 100 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new UsageException($"--cluster must be 1-100 letters, digits, '-', '_' or '.', got '{name}'");
        }

        var silo = parse.GetValue(siloPort);
        var gateway = parse.GetValue(gatewayPort);
        if (silo is < 1 or > 65535)
        {
            throw new UsageException($"--silo-port must be between 1 and 65535, got {silo}");
        }

        if (gateway is < 0 or > 65535 || (gateway != 0 && gateway == silo))
        {
            throw new UsageException($"--gateway-port must be 0 (none) or a port between 1 and 65535 other than --silo-port, got {gateway}");
        }

        IPAddress address;
        if (parse.GetValue(advertise) is { } text)
        {
            if (!IPAddress.TryParse(text, out var parsed) || parsed.Equals(IPAddress.Any) || parsed.Equals(IPAddress.IPv6Any))
            {
                throw new UsageException($"--advertise must be the IP address other nodes reach this one on (not a host name, not 0.0.0.0), got '{text}'");
            }

            address = parsed;
        }
        else if (ProofAgent.Api.Http.ApiKeyRing.AllLoopback(urls))
        {
            address = IPAddress.Loopback;
        }
        else
        {
            throw new UsageException("--advertise ADDRESS is required when the API listens beyond loopback: the IP address other nodes reach this one on");
        }

        return new ClusterSettings { ConnectionString = connection }.WithName(name).WithPorts(silo, gateway).WithAdvertise(address);
    }

    /// <summary>True when the user wrote the option (a default value is not "given").</summary>
    private static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}
