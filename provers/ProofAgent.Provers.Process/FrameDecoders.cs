using System.Text;

namespace ProofAgent.Provers.Processes;

/// <summary>
/// Splits a prover's output stream into protocol frames. Stateful: text arrives in arbitrary chunks, frames come out whole.
/// </summary>
public interface IFrameDecoder<out TFrame>
{
    /// <summary>Feeds a chunk and returns the frames it completed.</summary>
    IEnumerable<TFrame> Decode(string chunk);

    /// <summary>Characters received but not yet part of a complete frame (useful in error messages).</summary>
    string Pending { get; }
}

/// <summary>One frame per line (SMT-LIB answers, F* <c>--ide</c> JSON messages).</summary>
public sealed class LineFrameDecoder : IFrameDecoder<string>
{
    private readonly StringBuilder _buffer = new();

    public string Pending => _buffer.ToString();

    public IEnumerable<string> Decode(string chunk)
    {
        var frames = new List<string>();
        foreach (var c in chunk)
        {
            if (c == '\n')
            {
                frames.Add(_buffer.ToString().TrimEnd('\r'));
                _buffer.Clear();
            }
            else
            {
                _buffer.Append(c);
            }
        }

        return frames;
    }
}

/// <summary>Frames separated by a blank line (the Lean REPL's JSON responses).</summary>
public sealed class BlankLineFrameDecoder : IFrameDecoder<string>
{
    private readonly StringBuilder _frame = new();
    private readonly StringBuilder _line = new();

    public string Pending => _frame.ToString() + _line;

    public IEnumerable<string> Decode(string chunk)
    {
        var frames = new List<string>();
        foreach (var c in chunk)
        {
            if (c != '\n')
            {
                _line.Append(c);
                continue;
            }

            var line = _line.ToString().TrimEnd('\r');
            _line.Clear();
            if (line.Length == 0)
            {
                if (_frame.Length > 0)
                {
                    frames.Add(_frame.ToString());
                    _frame.Clear();
                }
            }
            else
            {
                if (_frame.Length > 0)
                {
                    _frame.Append('\n');
                }

                _frame.Append(line);
            }
        }

        return frames;
    }
}
