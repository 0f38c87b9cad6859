using System.IO.Pipelines;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ProofAgent.Lsp.Protocol;

/// <summary>
/// Stands between the client's byte streams and StreamJsonRpc. StreamJsonRpc drops the connection on a message it cannot
/// parse; a language server must answer it instead (JSON-RPC 2.0: <c>-32700</c> parse error, <c>-32600</c> invalid
/// request) and carry on. So every incoming frame is validated here: well-formed messages go on to StreamJsonRpc through
/// a pipe, malformed ones are answered directly. Everything sent to the client, StreamJsonRpc's frames and these answers,
/// goes through one writer, a whole frame at a time, so the two sources never interleave on stdout.
/// </summary>
internal sealed class MessageGate(Stream input, Stream output, ILogger logger, int maxBodyBytes = 64 * 1024 * 1024)
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;

    private readonly Pipe _toRpc = new();
    private readonly Pipe _fromRpc = new();
    private readonly Channel<byte[]> _outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>What StreamJsonRpc reads (validated frames) and writes (its own frames).</summary>
    public IDuplexPipe RpcSide => new DuplexPipe(_toRpc.Reader, _fromRpc.Writer);

    /// <summary>Frames answered here because they were malformed (for logs and tests).</summary>
    public int Rejected { get; private set; }

    /// <summary>Pumps until the client closes its input; then completes StreamJsonRpc's input (which ends the session).</summary>
    public async Task RunInputAsync(CancellationToken cancellationToken)
    {
        var reader = new FrameReader(input, maxBodyBytes);
        try
        {
            while (await reader.ReadAsync(cancellationToken) is { } frame)
            {
                switch (frame)
                {
                    case Frame.BadHeader bad:
                        Reject(ParseError, "malformed frame: " + bad.Reason, null);
                        break;
                    case Frame.Body body when Validate(body.Bytes) is { } error:
                        Reject(error.Code, error.Message, error.Id);
                        break;
                    case Frame.Body body:
                        await _toRpc.Writer.WriteAsync(FrameWriter.Encode(body.Bytes), cancellationToken);
                        break;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            logger.LogDebug(exception, "The client's input closed");
        }
        finally
        {
            await _toRpc.Writer.CompleteAsync();
        }
    }

    /// <summary>Copies StreamJsonRpc's frames to the outbox, one whole frame at a time.</summary>
    public async Task RunRpcOutputAsync(CancellationToken cancellationToken)
    {
        var reader = new FrameReader(_fromRpc.Reader.AsStream(), int.MaxValue);
        try
        {
            while (await reader.ReadAsync(cancellationToken) is Frame.Body body)
            {
                await _outbox.Writer.WriteAsync(FrameWriter.Encode(body.Bytes), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _outbox.Writer.TryComplete();
        }
    }

    /// <summary>The single writer of the client's output.</summary>
    public async Task RunOutputAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var frame in _outbox.Reader.ReadAllAsync(cancellationToken))
            {
                await output.WriteAsync(frame, cancellationToken);
                await output.FlushAsync(cancellationToken);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            logger.LogDebug(exception, "The client's output closed");
        }
    }

    /// <summary>The error to answer for a body that is not a JSON-RPC 2.0 message, or null when it is one.</summary>
    internal static (int Code, string Message, JToken? Id)? Validate(byte[] body)
    {
        JToken token;
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
            using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None, MaxDepth = 128 };
            token = JToken.ReadFrom(reader);
            if (reader.Read())
            {
                return (ParseError, "parse error: text after the JSON value", null);
            }
        }
        catch (Exception exception) when (exception is JsonException or DecoderFallbackException)
        {
            return (ParseError, "parse error: " + exception.Message, null);
        }

        if (token is JArray)
        {
            return (InvalidRequest, "invalid request: batches are not supported by the Language Server Protocol", null);
        }

        if (token is not JObject message)
        {
            return (InvalidRequest, $"invalid request: expected a JSON object, got {token.Type}", null);
        }

        var id = message["id"];
        if (id is not null && id.Type is not (JTokenType.Integer or JTokenType.String or JTokenType.Null))
        {
            return (InvalidRequest, "invalid request: 'id' must be a number or a string", null);
        }

        if (message["jsonrpc"] is not JValue { Type: JTokenType.String } version || (string?)version != "2.0")
        {
            return (InvalidRequest, "invalid request: 'jsonrpc' must be \"2.0\"", id);
        }

        if (message.ContainsKey("method"))
        {
            if (message["method"] is not JValue { Type: JTokenType.String })
            {
                return (InvalidRequest, "invalid request: 'method' must be a string", id);
            }

            if (message["params"] is { } parameters && parameters.Type is not (JTokenType.Object or JTokenType.Array))
            {
                return (InvalidRequest, "invalid request: 'params' must be an object or an array", id);
            }

            return null;
        }

        // A response to one of the server's requests.
        return id is not null && (message.ContainsKey("result") || message.ContainsKey("error"))
            ? null
            : (InvalidRequest, "invalid request: neither a request ('method') nor a response ('id' with 'result' or 'error')", id);
    }

    private void Reject(int code, string message, JToken? id)
    {
        Rejected++;
        logger.LogWarning("Rejected a malformed message ({Code}): {Message}", code, message);
        var response = new JObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id ?? JValue.CreateNull(),
            ["error"] = new JObject { ["code"] = code, ["message"] = message },
        };
        _outbox.Writer.TryWrite(FrameWriter.Encode(Encoding.UTF8.GetBytes(response.ToString(Formatting.None))));
    }

    private sealed class DuplexPipe(PipeReader reader, PipeWriter writer) : IDuplexPipe
    {
        public PipeReader Input => reader;

        public PipeWriter Output => writer;
    }
}
