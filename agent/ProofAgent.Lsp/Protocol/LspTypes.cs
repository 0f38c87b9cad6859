using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ProofAgent.Lsp;

// The LSP 3.17 structures this server reads and writes, with the protocol's names (camelCase on the wire through the
// formatter's naming strategy). Only the fields the server uses are declared; clients may send more, which are ignored.

/// <summary>A position: 0-based line, and character offset in UTF-16 code units (the LSP default encoding).</summary>
public sealed record LspPosition(int Line, int Character);

/// <summary>A range [start, end) in a document.</summary>
public sealed record LspRange(LspPosition Start, LspPosition End)
{
    public bool Contains(LspPosition position) =>
        Compare(Start, position) <= 0 && Compare(position, End) <= 0;

    private static int Compare(LspPosition a, LspPosition b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Character.CompareTo(b.Character);
}

public sealed record TextDocumentIdentifier(string Uri);

public sealed record VersionedTextDocumentIdentifier(string Uri, int? Version);

public sealed record TextDocumentItem(string Uri, string LanguageId, int Version, string Text);

public sealed record DidOpenParams(TextDocumentItem TextDocument);

/// <summary>A change: with a range it replaces that range; without one it is the document's new full text.</summary>
public sealed record TextDocumentContentChangeEvent(LspRange? Range, string Text);

public sealed record DidChangeParams(VersionedTextDocumentIdentifier TextDocument, IReadOnlyList<TextDocumentContentChangeEvent> ContentChanges);

public sealed record DidSaveParams(TextDocumentIdentifier TextDocument, string? Text);

public sealed record DidCloseParams(TextDocumentIdentifier TextDocument);

public sealed record TextDocumentPositionParams(TextDocumentIdentifier TextDocument, LspPosition Position);

/// <summary>LSP DiagnosticSeverity: 1 error, 2 warning, 3 information, 4 hint.</summary>
public enum LspSeverity
{
    Error = 1,
    Warning = 2,
    Information = 3,
    Hint = 4,
}

public sealed record LspDiagnostic(LspRange Range, LspSeverity Severity, string Message)
{
    public string Source { get; init; } = "proofagent";

    /// <summary>What kind of finding this is: <c>prover</c>, <c>hole</c>, <c>unsound</c>, <c>verdict</c>.</summary>
    public string? Code { get; init; }
}

public sealed record PublishDiagnosticsParams(string Uri, int? Version, IReadOnlyList<LspDiagnostic> Diagnostics);

public sealed record LspCommand(string Title, string Command, JArray? Arguments);

public sealed record CodeLens(LspRange Range, LspCommand? Command);

public sealed record CodeLensParams(TextDocumentIdentifier TextDocument);

public sealed record CodeActionContext(IReadOnlyList<LspDiagnostic>? Diagnostics);

public sealed record CodeActionParams(TextDocumentIdentifier TextDocument, LspRange Range, CodeActionContext? Context);

public sealed record CodeAction(string Title, string Kind, LspCommand Command)
{
    public IReadOnlyList<LspDiagnostic>? Diagnostics { get; init; }
}

public sealed record ExecuteCommandParams(string Command, JArray? Arguments)
{
    /// <summary>A progress token the client created for this request (when it supports it).</summary>
    public JToken? WorkDoneToken { get; init; }
}

public sealed record MarkupContent(string Kind, string Value);

public sealed record Hover(MarkupContent Contents, LspRange? Range);

public sealed record TextEdit(LspRange Range, string NewText);

/// <summary>LSP CompletionItemKind 15: Snippet; 14: Keyword. Tactics are offered as keywords.</summary>
public sealed record CompletionItem(string Label)
{
    public int Kind { get; init; } = 14;

    public string? Detail { get; init; }

    public string? SortText { get; init; }

    public string? FilterText { get; init; }

    public string? InsertText { get; init; }

    public MarkupContent? Documentation { get; init; }
}

public sealed record CompletionList(bool IsIncomplete, IReadOnlyList<CompletionItem> Items);

public sealed record OptionalVersionedTextDocumentIdentifier(string Uri, int? Version);

public sealed record TextDocumentEdit(OptionalVersionedTextDocumentIdentifier TextDocument, IReadOnlyList<TextEdit> Edits);

/// <summary>A workspace edit, either as <c>documentChanges</c> (versioned: applied only to the version it was made for) or as <c>changes</c>.</summary>
public sealed record WorkspaceEdit
{
    public IReadOnlyDictionary<string, IReadOnlyList<TextEdit>>? Changes { get; init; }

    public IReadOnlyList<TextDocumentEdit>? DocumentChanges { get; init; }
}

public sealed record ApplyWorkspaceEditParams(string Label, WorkspaceEdit Edit);

public sealed record ApplyWorkspaceEditResult(bool Applied, string? FailureReason);

/// <summary>window/showMessage types: 1 error, 2 warning, 3 info, 4 log.</summary>
public sealed record ShowMessageParams(int Type, string Message);

public sealed record LogMessageParams(int Type, string Message);

public sealed record WorkDoneProgressCreateParams(JToken Token);

public sealed record WorkDoneProgressCancelParams(JToken Token);

public sealed record ProgressParams(JToken Token, JObject Value);

public sealed record DidChangeConfigurationParams(JToken? Settings);

/// <summary>The parts of <c>initialize</c>'s parameters the server reads.</summary>
public sealed record InitializeParams
{
    public int? ProcessId { get; init; }

    public JToken? InitializationOptions { get; init; }

    public JObject? Capabilities { get; init; }
}

/// <summary>The answer of <c>proofagent.prove</c> (also sent as the request's result): the verdict and a sentence for people.</summary>
public sealed record ProveResult(ProveStatus Verdict, string Message)
{
    [JsonProperty(NullValueHandling = NullValueHandling.Ignore)]
    public string? Theorem { get; init; }

    [JsonProperty(NullValueHandling = NullValueHandling.Ignore)]
    public string? Counterexample { get; init; }
}
