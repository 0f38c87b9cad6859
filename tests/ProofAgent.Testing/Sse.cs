using System.Text;

namespace ProofAgent.Testing;

/// <summary>One Server-Sent Event.</summary>
public sealed record SseEvent(string? Id, string Type, string Data);

/// <summary>Reads Server-Sent Events as the service writes them (<c>id:</c>, <c>event:</c>, <c>data:</c> lines, a blank line ends one).</summary>
public static class Sse
{
    /// <summary>Reads a whole event stream (until the server closes it).</summary>
    public static async Task<IReadOnlyList<SseEvent>> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var events = new List<SseEvent>();
        string? id = null, type = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (type is not null || data.Length > 0)
                {
                    events.Add(new SseEvent(id, type ?? "message", data.ToString()));
                }

                id = null;
                type = null;
                data.Clear();
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(data.Length > 0 ? "\n" : "").Append(line[6..]);
            }
        }

        return events;
    }

    /// <summary>GETs <paramref name="path"/> (resuming after <paramref name="lastEventId"/> when given) and reads the whole stream.</summary>
    public static async Task<IReadOnlyList<SseEvent>> ReadAllAsync(HttpClient client, string path, string? lastEventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await ReadAllAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken);
    }
}
