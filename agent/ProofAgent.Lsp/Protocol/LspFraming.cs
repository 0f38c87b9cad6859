using System.Globalization;
using System.Text;

namespace ProofAgent.Lsp.Protocol;

/// <summary>One message as framed on the wire (<c>Content-Length</c> header, blank line, body), or why the frame was unreadable.</summary>
internal abstract record Frame
{
    private Frame()
    {
    }

    /// <summary>A well-framed body (its JSON is not validated yet).</summary>
    public sealed record Body(byte[] Bytes) : Frame;

    /// <summary>A header the reader could not use; the reader skipped to the next frame it could find.</summary>
    public sealed record BadHeader(string Reason) : Frame;
}

/// <summary>
/// Reads LSP base-protocol frames from a stream: header lines (<c>Content-Length</c> required, <c>Content-Type</c> ignored)
/// ended by an empty line, then exactly <c>Content-Length</c> bytes. A header it cannot use is reported, never fatal: the
/// reader resynchronizes on the next <c>Content-Length:</c> line.
/// </summary>
internal sealed class FrameReader(Stream input, int maxBodyBytes)
{
    private const string LengthHeader = "Content-Length:";
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>The next frame, or null at the end of the stream.</summary>
    public async Task<Frame?> ReadAsync(CancellationToken cancellationToken)
    {
        int? length = null;
        string? problem = null;
        var sawHeader = false;
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line is null)
            {
                return sawHeader ? new Frame.BadHeader("the stream ended inside a header") : null;
            }

            if (line.Length == 0)
            {
                if (!sawHeader)
                {
                    continue; // stray blank lines between frames
                }

                break;
            }

            sawHeader = true;
            if (line.StartsWith(LengthHeader, StringComparison.OrdinalIgnoreCase))
            {
                var value = line[LengthHeader.Length..].Trim();
                if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    length = parsed;
                }
                else
                {
                    problem = $"Content-Length '{Clip(value)}' is not a non-negative integer";
                }
            }
            else if (!IsHeaderLine(line))
            {
                // Not a frame at all (raw JSON, noise): report it at once, so the next read starts at the next line.
                return new Frame.BadHeader($"'{Clip(line)}' is not a header line (expected 'Content-Length: N')");
            }
        }

        if (problem is not null || length is null)
        {
            return new Frame.BadHeader(problem ?? "the header has no Content-Length");
        }

        if (length > maxBodyBytes)
        {
            await SkipAsync(length.Value, cancellationToken);
            return new Frame.BadHeader($"the message is {length} bytes; the limit is {maxBodyBytes}");
        }

        var body = new byte[length.Value];
        var filled = 0;
        while (filled < body.Length)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                return new Frame.BadHeader($"the stream ended after {filled} of {length} body bytes");
            }

            var take = Math.Min(_end - _start, body.Length - filled);
            Array.Copy(_buffer, _start, body, filled, take);
            _start += take;
            filled += take;
        }

        return new Frame.Body(body);
    }

    private async Task SkipAsync(int count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                return;
            }

            var take = Math.Min(_end - _start, count);
            _start += take;
            count -= take;
        }
    }

    /// <summary>One header line without its line break (<c>\r\n</c> or <c>\n</c>); null at the end of the stream.</summary>
    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var bytes = new List<byte>();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                return bytes.Count > 0 ? Decode(bytes) : null;
            }

            var b = _buffer[_start++];
            if (b == '\n')
            {
                return Decode(bytes);
            }

            if (bytes.Count < 8192)
            {
                bytes.Add(b);
            }
        }
    }

    private static bool IsHeaderLine(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && line.AsSpan(0, colon).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") < 0;
    }

    private static string Decode(List<byte> bytes) => Encoding.ASCII.GetString([.. bytes]).TrimEnd('\r');

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await input.ReadAsync(_buffer, cancellationToken);
        return _end > 0;
    }

    private static string Clip(string text) => text.Length > 60 ? text[..60] + "…" : text;
}

/// <summary>Writes frames: <c>Content-Length: N\r\n\r\n</c> then the body.</summary>
internal static class FrameWriter
{
    public static byte[] Encode(byte[] body) =>
        [.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}\r\n\r\n"), .. body];
}
