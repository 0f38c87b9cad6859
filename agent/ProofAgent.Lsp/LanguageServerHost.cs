using Microsoft.Extensions.Logging;
using Microsoft.VisualStudio.Threading;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;
using ProofAgent.Lsp.Backends;
using ProofAgent.Lsp.Protocol;
using ProofAgent.Lsp.Server;
using StreamJsonRpc;

namespace ProofAgent.Lsp;

/// <summary>
/// Runs the language server on a pair of streams (stdin/stdout for <c>agent lsp</c>) until the client sends <c>exit</c> or
/// closes its input. JSON-RPC is StreamJsonRpc with its default formatter, Newtonsoft.Json; the message gate in front of it
/// answers malformed messages instead of letting them end the session.
/// </summary>
public static class LanguageServerHost
{
    /// <summary>Serves one client; returns the process exit code (0 after <c>shutdown</c> then <c>exit</c>, else 1, as LSP asks).</summary>
    public static async Task<int> RunAsync(Stream input, Stream output, LspSettings settings, Func<IProofBackend> createLocalBackend, ILoggerFactory loggers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger("ProofAgent.Lsp");
        var gate = new MessageGate(input, output, logger);
        var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(gate.RpcSide, CreateFormatter()))
        {
            // Notifications run one at a time in the order they arrived (didChange after didOpen, ...); long work awaits.
            SynchronizationContext = new NonConcurrentSynchronizationContext(sticky: false),
            CancelLocallyInvokedMethodsWhenConnectionIsClosed = true,
        };
        await using var server = new ProofLanguageServer(rpc, settings, createLocalBackend, loggers);
        rpc.AddLocalRpcTarget(server, new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true, DisposeOnDisconnect = false });
        rpc.Disconnected += (_, e) => logger.LogInformation("Disconnected: {Reason} {Description}", e.Reason, e.Description);
        using var pumpsStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var inputPump = Task.Run(() => gate.RunInputAsync(pumpsStop.Token), CancellationToken.None);
        var rpcPump = Task.Run(() => gate.RunRpcOutputAsync(CancellationToken.None), CancellationToken.None);
        var outputPump = Task.Run(() => gate.RunOutputAsync(CancellationToken.None), CancellationToken.None);
        rpc.StartListening();

        var cancelled = Task.Delay(Timeout.Infinite, cancellationToken);
        await Task.WhenAny(server.Exited, rpc.Completion, cancelled);
        logger.LogInformation("Stopping: {Why}", server.Exited.IsCompleted ? "exit" : rpc.Completion.IsCompleted ? "the client closed the connection" : "cancelled");

        // Kill every prover before the process ends: shutdown already did when the client sent it.
        await server.StopWorkAsync();
        rpc.Dispose();
        await pumpsStop.CancelAsync();
        await Task.WhenAny(Task.WhenAll(rpcPump, outputPump), Task.Delay(TimeSpan.FromSeconds(5)));
        await Task.WhenAny(inputPump, Task.Delay(TimeSpan.FromSeconds(1)));
        return server.ShutdownRequested && server.Exited.IsCompleted ? 0 : 1;
    }

    /// <summary>Newtonsoft.Json (StreamJsonRpc's default): camelCase LSP names, dictionary keys (URIs) kept, nulls omitted.</summary>
    internal static JsonMessageFormatter CreateFormatter()
    {
        var formatter = new JsonMessageFormatter();
        formatter.JsonSerializer.ContractResolver = new DefaultContractResolver
        {
            NamingStrategy = new CamelCaseNamingStrategy { ProcessDictionaryKeys = false, OverrideSpecifiedNames = false },
        };
        formatter.JsonSerializer.NullValueHandling = NullValueHandling.Ignore;
        formatter.JsonSerializer.MaxDepth = 128;
        return formatter;
    }
}
