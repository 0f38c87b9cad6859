namespace ProofAgent.Lsp.Text;

/// <summary>
/// Positions in one text, in the three units that meet in a language server: UTF-16 offsets into the .NET string, LSP
/// positions (0-based line, UTF-16 code units within the line: the LSP 3.17 default encoding) and the provers' positions
/// (1-based line, 1-based column in Unicode code points). Lines end at <c>\n</c>; a <c>\r</c> before it belongs to no column
/// an editor shows, so positions past the end of a line's text are clamped to it.
/// </summary>
public sealed class TextLines
{
    private readonly string _text;
    private readonly int[] _starts;

    public TextLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _text = text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        _starts = [.. starts];
    }

    public string Text => _text;

    public int LineCount => _starts.Length;

    /// <summary>The UTF-16 offset of the start of a 0-based line (clamped to the text).</summary>
    public int LineStart(int line) => _starts[Math.Clamp(line, 0, _starts.Length - 1)];

    /// <summary>The UTF-16 offset just after a line's last character, before its <c>\r\n</c> or <c>\n</c>.</summary>
    public int LineEnd(int line)
    {
        line = Math.Clamp(line, 0, _starts.Length - 1);
        var end = line + 1 < _starts.Length ? _starts[line + 1] - 1 : _text.Length;
        if (end > _starts[line] && end - 1 < _text.Length && _text[end - 1] == '\r')
        {
            end--;
        }

        return end;
    }

    /// <summary>The 0-based line holding a UTF-16 offset.</summary>
    public int LineOf(int offset)
    {
        offset = Math.Clamp(offset, 0, _text.Length);
        var index = Array.BinarySearch(_starts, offset);
        return index >= 0 ? index : ~index - 1;
    }

    /// <summary>The LSP position (0-based line, UTF-16 character) of an offset.</summary>
    public LspPosition PositionOf(int offset)
    {
        offset = Math.Clamp(offset, 0, _text.Length);
        var line = LineOf(offset);
        return new LspPosition(line, Math.Min(offset, LineEnd(line)) - _starts[line]);
    }

    /// <summary>The offset of an LSP position; characters past the line's end are clamped to it, lines past the text to its end.</summary>
    public int OffsetOf(LspPosition position)
    {
        if (position.Line < 0)
        {
            return 0;
        }

        if (position.Line >= _starts.Length)
        {
            return _text.Length;
        }

        var start = _starts[position.Line];
        var offset = start + Math.Clamp(position.Character, 0, LineEnd(position.Line) - start);

        // Never split a surrogate pair: a position inside one means the pair's start.
        return offset > start && offset < _text.Length && char.IsLowSurrogate(_text[offset]) && char.IsHighSurrogate(_text[offset - 1]) ? offset - 1 : offset;
    }

    /// <summary>
    /// The offset of a prover position: 1-based line, 1-based column counted in Unicode code points. Line 0 (no position)
    /// is the start of the text; a column past the line's end is its end.
    /// </summary>
    public int OffsetOfProverPosition(int line, int codePointColumn)
    {
        if (line <= 0)
        {
            return 0;
        }

        if (line > _starts.Length)
        {
            return _text.Length;
        }

        var offset = _starts[line - 1];
        var end = LineEnd(line - 1);
        for (var column = 1; column < codePointColumn && offset < end; column++)
        {
            offset += offset + 1 < end && char.IsHighSurrogate(_text[offset]) && char.IsLowSurrogate(_text[offset + 1]) ? 2 : 1;
        }

        return offset;
    }

    /// <summary>The LSP position of a prover position (see <see cref="OffsetOfProverPosition"/>).</summary>
    public LspPosition PositionOfProverPosition(int line, int codePointColumn) => PositionOf(OffsetOfProverPosition(line, codePointColumn));

    /// <summary>The LSP range of the UTF-16 offsets [start, end).</summary>
    public LspRange RangeOf(int start, int end) => new(PositionOf(start), PositionOf(Math.Max(start, end)));

    /// <summary>The range of the whole 0-based line (without its line break).</summary>
    public LspRange LineRange(int line) => RangeOf(LineStart(line), LineEnd(line));

    /// <summary>The word (identifier characters, dots and primes) around an offset, as [start, end); empty when none.</summary>
    public (int Start, int End) WordAt(int offset)
    {
        offset = Math.Clamp(offset, 0, _text.Length);
        var start = offset;
        while (start > 0 && IsWordChar(_text[start - 1]))
        {
            start--;
        }

        var end = offset;
        while (end < _text.Length && IsWordChar(_text[end]))
        {
            end++;
        }

        return (start, end);
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '\'' or '.' || char.IsSurrogate(c);
}
