using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ProofAgent.Api.Http;

/// <summary>RFC 9457 problem details of the service; every 4xx names what was wrong and where (<c>field</c>).</summary>
public static class Problems
{
    public static IResult BadRequest(string field, string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request", type: "https://proofagent.dev/problems/bad-request",
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["field"] = field });

    public static IResult NotFound(string what) =>
        Results.Problem(detail: what, statusCode: StatusCodes.Status404NotFound, title: "Not found", type: "https://proofagent.dev/problems/not-found");

    public static IResult Conflict(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict", type: "https://proofagent.dev/problems/conflict");

    /// <summary>429 with <c>Retry-After</c>: the pool is full; nothing was queued.</summary>
    public static IResult Saturated(HttpContext context, string detail, int retryAfterSeconds)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(detail: detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", type: "https://proofagent.dev/problems/saturated",
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["retryAfterSeconds"] = retryAfterSeconds });
    }
}
