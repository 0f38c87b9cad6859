using System.Text;

namespace ProofAgent.Provers.Processes;

/// <summary>
/// Collects a process stream as text up to a cap, then keeps draining (so the process never blocks on a full pipe)
/// and drops the rest, leaving a visible marker.
/// </summary>
internal sealed class BoundedTextSink(int maxChars)
{
    public const string TruncationMarker = "\n[... output truncated by the service ...]\n";

    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();

    public bool Truncated { get; private set; }

    public async Task DrainAsync(Stream stream, CancellationToken cancellationToken)
    {
        var decoder = new UTF8Encoding(false, false).GetDecoder();
        var bytes = new byte[16 * 1024];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        int read;
        while ((read = await stream.ReadAsync(bytes, cancellationToken)) > 0)
        {
            var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            Append(chars.AsSpan(0, count));
        }
    }

    public void Append(ReadOnlySpan<char> chunk)
    {
        lock (_gate)
        {
            var room = maxChars - _text.Length;
            if (room >= chunk.Length)
            {
                _text.Append(chunk);
                return;
            }

            if (room > 0)
            {
                _text.Append(chunk[..room]);
            }

            Truncated = true;
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return Truncated ? _text + TruncationMarker : _text.ToString();
        }
    }
}
