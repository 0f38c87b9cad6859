using System.Globalization;

namespace ProofAgent.Provers.Isabelle;

/// <summary>
/// Frames the Isabelle server's byte messages (system manual, "Byte messages"): a short message is one line ended by
/// LF or CR-LF; a long message is a line of decimal digits N followed by a block of exactly N bytes (a final line
/// terminator inside the block is allowed and dropped). Text arrives already decoded from UTF-8, so the decoder counts
/// each character's UTF-8 length to honour the byte count. Errors come out as <see cref="IsabelleReplyKind.Malformed"/>
/// messages, never as exceptions or waits.
/// </summary>
public sealed class IsabelleFrameDecoder(int maxMessageBytes = 256 * 1024 * 1024) : IFrameDecoder<IsabelleMessage>
{
    private readonly StringBuilder _buffer = new();
    private long _blockBytesLeft = -1;
    private long _blockDeclared;

    /// <summary>Text received that is not yet a whole message (a partial line, or a block short of its byte count).</summary>
    public string Pending => _buffer.ToString();

    /// <summary>True while inside a length-prefixed block.</summary>
    public bool InBlock => _blockBytesLeft >= 0;

    /// <summary>Bytes still missing from the current block (0 when not in a block).</summary>
    public long MissingBytes => Math.Max(0, _blockBytesLeft);

    public IEnumerable<IsabelleMessage> Decode(string chunk)
    {
        var frames = new List<IsabelleMessage>();
        for (var i = 0; i < chunk.Length; i++)
        {
            var c = chunk[i];
            if (_blockBytesLeft >= 0)
            {
                _buffer.Append(c);
                _blockBytesLeft -= Utf8Length(c);
                if (_blockBytesLeft == 0)
                {
                    frames.Add(IsabelleMessage.Parse(TrimTerminator(_buffer.ToString())));
                    _buffer.Clear();
                    _blockBytesLeft = -1;
                }
                else if (_blockBytesLeft < 0)
                {
                    frames.Add(IsabelleMessage.Malformed(
                        $"a long message of {_blockDeclared} bytes ends inside a UTF-8 character: {Preview(_buffer.ToString())}"));
                    _buffer.Clear();
                    _blockBytesLeft = -1;
                }

                continue;
            }

            if (c != '\n')
            {
                _buffer.Append(c);
                if (_buffer.Length > maxMessageBytes)
                {
                    frames.Add(IsabelleMessage.Malformed($"a line longer than {maxMessageBytes} characters without a line end: {Preview(_buffer.ToString())}"));
                    _buffer.Clear();
                }

                continue;
            }

            var line = _buffer.ToString().TrimEnd('\r');
            _buffer.Clear();
            if (line.Length > 0 && line.All(char.IsAsciiDigit))
            {
                if (!long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > maxMessageBytes)
                {
                    frames.Add(IsabelleMessage.Malformed($"length line '{Preview(line)}' exceeds the limit of {maxMessageBytes} bytes"));
                    continue;
                }

                if (length > 0)
                {
                    _blockBytesLeft = length;
                    _blockDeclared = length;
                }

                continue;
            }

            if (line.Length > 0)
            {
                frames.Add(IsabelleMessage.Parse(line));
            }
        }

        return frames;
    }

    /// <summary>Describes what an ended stream left unfinished, or null when it ended on a message boundary.</summary>
    public string? DescribeTruncation() =>
        _blockBytesLeft > 0
            ? $"the stream ended {_blockBytesLeft} bytes short of a {_blockDeclared}-byte message: {Preview(_buffer.ToString())}"
            : _buffer.Length > 0 ? $"the stream ended inside a line: {Preview(_buffer.ToString())}" : null;

    private static int Utf8Length(char c) =>
        c < 0x80 ? 1 : c < 0x800 ? 2 : char.IsSurrogate(c) ? 2 : 3; // a surrogate pair is 4 bytes, 2 per half

    private static string TrimTerminator(string block) =>
        block.EndsWith("\r\n", StringComparison.Ordinal) ? block[..^2] : block.EndsWith('\n') ? block[..^1] : block;

    private static string Preview(string text) => text.Length > 120 ? text[..120] + "…" : text;
}
