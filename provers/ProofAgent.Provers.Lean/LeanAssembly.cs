namespace ProofAgent.Provers.Lean;

/// <summary>Where a piece of the assembled file came from.</summary>
public enum LeanOrigin
{
    Candidate,
    Statement,
    Service,
}

/// <summary>What a service-written line of the assembled file checks.</summary>
internal enum LeanAuditKind
{
    ExpectedType,
    TypeCheck,
    Axioms,
}

internal sealed record LeanAuditLine(int Line, LeanAuditKind Kind, string Theorem);

internal sealed record LeanSegment(int Start, int Length, LeanOrigin Origin, int OriginStart);

/// <summary>
/// The file the service actually checks: header + (statement context) + candidate text + (the statement's own signature spliced
/// over the candidate's) + service audit commands, with a map from every position back to the text it came from.
/// </summary>
internal sealed class LeanAssembly
{
    private readonly List<LeanSegment> _segments = [];
    private readonly StringBuilder _text = new();
    private readonly List<LeanAuditLine> _audits = [];

    public LeanAssembly(string candidate, string? statement)
    {
        Candidate = candidate;
        Statement = statement;
    }

    public string Candidate { get; }

    public string? Statement { get; }

    public string Header { get; private set; } = string.Empty;

    /// <summary>The line of the statement's theorem in the statement text (errors above it are the statement's own).</summary>
    public int StatementTargetLine { get; set; }

    /// <summary>Lines of the header (the REPL runs it separately; body positions are shifted by this).</summary>
    public int HeaderLines { get; private set; }

    public string Text => _text.ToString();

    public string Body => Text[Header.Length..];

    public IReadOnlyList<LeanAuditLine> Audits => _audits;

    /// <summary>The theorems the audit covers (full names).</summary>
    public List<string> Theorems { get; } = [];

    public void AppendHeader(string header, LeanOrigin origin, int originStart)
    {
        Append(header, origin, originStart);
        if (header.Length > 0 && !header.EndsWith('\n'))
        {
            Append("\n", LeanOrigin.Service, 0);
        }

        Header = Text;
        HeaderLines = Header.Count(c => c == '\n');
    }

    public void Append(string text, LeanOrigin origin, int originStart)
    {
        if (text.Length == 0)
        {
            return;
        }

        _segments.Add(new LeanSegment(_text.Length, text.Length, origin, originStart));
        _text.Append(text);
    }

    /// <summary>Appends one service line (ending in a newline) and remembers what it checks.</summary>
    public void AppendAudit(string line, LeanAuditKind kind, string theorem)
    {
        if (_text.Length > 0 && _text[^1] != '\n')
        {
            Append("\n", LeanOrigin.Service, 0);
        }

        var lineNumber = _text.ToString().Count(c => c == '\n') + 1;
        _audits.Add(new LeanAuditLine(lineNumber, kind, theorem));
        Append(line + "\n", LeanOrigin.Service, 0);
    }

    /// <summary>Maps a Lean position of the assembled file (1-based line, 0-based code-point column) to its origin's text.</summary>
    public (LeanOrigin Origin, int Line, int Column) Map(LeanPosition position)
    {
        if (!position.IsKnown)
        {
            return (LeanOrigin.Service, 0, 0);
        }

        var text = Text;
        var offset = LeanSourceScan.Offset(text, position.Line, position.Column);
        var segment = _segments.LastOrDefault(s => s.Start <= offset && offset < s.Start + s.Length) ?? _segments.LastOrDefault();
        if (segment is null || segment.Origin == LeanOrigin.Service)
        {
            return (LeanOrigin.Service, 0, 0);
        }

        var source = segment.Origin == LeanOrigin.Candidate ? Candidate : Statement ?? string.Empty;
        var originOffset = Math.Min(source.Length, segment.OriginStart + (offset - segment.Start));
        var lineStart = source.LastIndexOf('\n', Math.Max(0, originOffset - 1)) + 1;
        if (originOffset == 0)
        {
            lineStart = 0;
        }

        var line = source[..originOffset].Count(c => c == '\n') + 1;
        return (segment.Origin, line, LeanSourceScan.CodePoints(source, lineStart, originOffset) + 1);
    }

    /// <summary>A Lean message of the assembled file as a diagnostic in the user's text (statement/service lines say so).</summary>
    public Diagnostic ToDiagnostic(LeanMessage message)
    {
        var (origin, line, column) = Map(message.Pos);
        (LeanOrigin Origin, int Line, int Column)? end = message.EndPos is { IsKnown: true } e ? Map(e) : null;
        return origin switch
        {
            LeanOrigin.Candidate => new Diagnostic(message.Severity, line, column, message.Data,
                end is { Origin: LeanOrigin.Candidate } c ? c.Line : null, end is { Origin: LeanOrigin.Candidate } d ? d.Column : null),
            LeanOrigin.Statement => new Diagnostic(message.Severity, 0, 0, $"in the statement (line {line}): {message.Data}"),
            _ => new Diagnostic(message.Severity, 0, 0, $"in the service's check: {message.Data}"),
        };
    }

    public LeanOrigin OriginOfLine(int line) => Map(new LeanPosition(line, 0)).Origin;
}
