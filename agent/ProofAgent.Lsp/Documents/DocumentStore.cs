using ProofAgent.Lsp.Text;
using ProofAgent.Provers;

namespace ProofAgent.Lsp.Documents;

/// <summary>An open document as the client last sent it. Immutable: a change makes a new snapshot.</summary>
public sealed record DocumentSnapshot(string Uri, ProofLanguage Language, int Version, string Text)
{
    private TextLines? _lines;

    public TextLines Lines => _lines ??= new TextLines(Text);

    /// <summary>The file name the prover is given (the URI's last segment, decoded).</summary>
    public string FileName => DocumentStore.FileNameOf(Uri);
}

/// <summary>
/// The documents the client has open, keyed by URI. Files whose extension names no proof language are not kept: the server
/// ignores them, as <c>agent check</c> refuses them.
/// </summary>
public sealed class DocumentStore
{
    private readonly Dictionary<string, DocumentSnapshot> _documents = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The language of a document URI from its extension (<c>.v .lean .thy .fst .smt2</c>), or null.</summary>
    public static ProofLanguage? LanguageOf(string uri) =>
        ProofLanguages.TryFromPath(FileNameOf(uri), out var language) ? language : null;

    public static string FileNameOf(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var path = Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? parsed.AbsolutePath : uri;
        var name = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
        return name.Length > 0 ? name : "document";
    }

    /// <summary>Stores an opened document; returns null (and stores nothing) when its language is unknown.</summary>
    public DocumentSnapshot? Open(string uri, int version, string text)
    {
        if (LanguageOf(uri) is not { } language)
        {
            return null;
        }

        var snapshot = new DocumentSnapshot(uri, language, version, text);
        lock (_gate)
        {
            _documents[uri] = snapshot;
        }

        return snapshot;
    }

    /// <summary>Replaces a document's text (full-text synchronization); null when the document is not open here.</summary>
    public DocumentSnapshot? Change(string uri, int version, string text)
    {
        lock (_gate)
        {
            if (!_documents.TryGetValue(uri, out var current))
            {
                return null;
            }

            var next = new DocumentSnapshot(uri, current.Language, version, text);
            _documents[uri] = next;
            return next;
        }
    }

    public void Close(string uri)
    {
        lock (_gate)
        {
            _documents.Remove(uri);
        }
    }

    public DocumentSnapshot? Get(string uri)
    {
        lock (_gate)
        {
            return _documents.GetValueOrDefault(uri);
        }
    }

    /// <summary>True when <paramref name="snapshot"/> is still the document's current version (open, same version, same text).</summary>
    public bool IsCurrent(DocumentSnapshot snapshot)
    {
        lock (_gate)
        {
            return _documents.TryGetValue(snapshot.Uri, out var current) && ReferenceEquals(current, snapshot);
        }
    }
}
