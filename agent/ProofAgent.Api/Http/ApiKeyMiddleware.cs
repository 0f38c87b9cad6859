using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ProofAgent.Api.Http;

/// <summary>
/// API keys: <c>X-Api-Key: KEY</c> or <c>Authorization: Bearer KEY</c>, compared in constant time against SHA-256 digests
/// (the keys themselves are never kept in plain text after start-up, nor logged). <c>/health</c> and the API documentation
/// are public. With no key configured every request passes, which <see cref="ProofApiServer"/> allows only on loopback.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyRing keys, ApiMetrics metrics, ILogger<ApiKeyMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!keys.Enabled || IsPublic(context.Request.Path) || keys.Accepts(Presented(context.Request)))
        {
            await next(context);
            return;
        }

        metrics.Rejected.Add(1, new KeyValuePair<string, object?>("reason", "unauthorized"));
        logger.LogWarning("unauthorized {Method} {Path} from {Remote}", context.Request.Method, context.Request.Path.Value, context.Connection.RemoteIpAddress);
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            detail: "a valid API key is required: send it as 'X-Api-Key: KEY' or 'Authorization: Bearer KEY'",
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized",
            type: "https://proofagent.dev/problems/unauthorized").ExecuteAsync(context);
    }

    private static bool IsPublic(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.Ordinal) ||
        path.StartsWithSegments("/openapi", StringComparison.Ordinal) ||
        path.StartsWithSegments("/scalar", StringComparison.Ordinal);

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers["X-Api-Key"] is { Count: > 0 } header && header[0] is { Length: > 0 } key)
        {
            return key;
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }
}

/// <summary>The accepted keys, as SHA-256 digests.</summary>
public sealed class ApiKeyRing
{
    private readonly byte[][] _digests;

    public ApiKeyRing(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _digests = [.. keys.Where(k => k.Length > 0).Select(Digest)];
    }

    public bool Enabled => _digests.Length > 0;

    public bool Accepts(string? key)
    {
        if (key is null)
        {
            return false;
        }

        var digest = Digest(key);
        var match = false;
        foreach (var known in _digests)
        {
            match |= CryptographicOperations.FixedTimeEquals(known, digest);
        }

        return match;
    }

    /// <summary>True when every URL binds a loopback address (so running without keys exposes nothing).</summary>
    public static bool AllLoopback(IEnumerable<string> urls) => urls.All(IsLoopback);

    private static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Replace("://*", "://wildcard.invalid", StringComparison.Ordinal).Replace("://+", "://wildcard.invalid", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return false;
        }

        var host = uri.Host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
