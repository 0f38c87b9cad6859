using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ProofAgent.Api.Http;

/// <summary>A body that could not be read: the 400 to answer with.</summary>
public sealed class BadBodyException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>Reads JSON bodies under the size limit, turning every failure into a <see cref="BadBodyException"/> that says where.</summary>
public static class RequestReader
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, long maxBytes, JsonSerializerOptions options, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength is { } length && length > maxBytes)
        {
            // The body stays unread: the connection cannot be reused.
            request.HttpContext.Response.Headers.Connection = "close";
            throw TooLarge(length.ToString(CultureInfo.InvariantCulture), maxBytes);
        }

        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new BadBodyException("Content-Type", $"the body must be JSON (Content-Type: application/json), got '{request.ContentType ?? "none"}'");
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, options, cancellationToken)
                ?? throw new BadBodyException("body", "the body is JSON null; expected an object");
        }
        catch (JsonException exception)
        {
            var where = exception.Path is { Length: > 0 } path ? path : "body";
            var position = exception.LineNumber is { } line ? $" (line {line + 1}, byte {exception.BytePositionInLine + 1})" : "";
            throw new BadBodyException(where, $"invalid JSON at {where}{position}: {FirstSentence(exception.Message)}");
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            request.HttpContext.Response.Headers.Connection = "close";
            throw TooLarge("more than " + maxBytes.ToString(CultureInfo.InvariantCulture), maxBytes);
        }
    }

    private static BadBodyException TooLarge(string size, long maxBytes) =>
        new("body", $"the body is {size} bytes; the limit is {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes");

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
