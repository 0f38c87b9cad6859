namespace ProofAgent.Syntax;

/// <summary>Where an offset lies in a prover's text, in the unit every diagnostic of the service uses.</summary>
public static class SourcePosition
{
    /// <summary>
    /// 1-based line and 1-based column of a UTF-16 offset, the column counted in Unicode code points (an offset past
    /// either end of the text is read as that end).
    /// </summary>
    public static (int Line, int Column) Of(string text, int offset)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = 1;
        var column = 1;
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                column = 1;
            }
            else if (!char.IsLowSurrogate(text[i]))
            {
                column++;
            }
        }

        return (line, column);
    }
}
