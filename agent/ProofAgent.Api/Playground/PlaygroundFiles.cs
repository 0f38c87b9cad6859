using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace ProofAgent.Api.Playground;

/// <summary>
/// The playground page served at <c>/</c>: <c>web/playground/src/index.html</c>, the bundle <c>web/playground</c> builds
/// into <c>Playground/Generated</c>, and the examples menu (<see cref="PlaygroundExamples"/>), all embedded in this assembly (no CDN and no file next to the executable, so <c>agent serve</c> shows it offline and from
/// any working directory). The page is public like <c>/health</c>: it holds no data, and every request it makes goes
/// through the API and its key check.
/// </summary>
public static class PlaygroundFiles
{
    /// <summary>The manifest-resource prefix the project file gives to the page and its bundle.</summary>
    internal const string ResourcePrefix = "ProofAgent.Api.Playground.wwwroot";

    /// <summary>
    /// Scripts only from this server, requests only to this server, no framing. Styles may be inline: CodeMirror
    /// mounts its theme as a <c>&lt;style&gt;</c> element at run time (a nonce would need a per-response page).
    /// </summary>
    internal const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IFileProvider Files { get; } = new EmbeddedFileProvider(typeof(PlaygroundFiles).Assembly, ResourcePrefix);

    /// <summary>The path of the examples menu (<see cref="PlaygroundExamples"/>).</summary>
    internal const string ExamplesPath = "/examples.json";

    /// <summary>Serves <c>/</c> (index.html), the page's assets and its examples; any other path goes on to the API.</summary>
    public static IApplicationBuilder UsePlayground(this IApplicationBuilder app)
    {
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = Files, DefaultFileNames = ["index.html"] });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = Files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context => SetHeaders(context.Context.Response.Headers),
        });
        return app.Use(async (context, next) =>
        {
            if (context.Request.Path != ExamplesPath || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
            {
                await next(context);
                return;
            }

            SetHeaders(context.Response.Headers);
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = PlaygroundExamples.JsonUtf8.Length;
            if (HttpMethods.IsGet(context.Request.Method))
            {
                await context.Response.Body.WriteAsync(PlaygroundExamples.JsonUtf8, context.RequestAborted);
            }
        });
    }

    private static void SetHeaders(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";

        // Revalidate every time (the ETag makes that cheap): a restarted server with a new page is seen at once.
        headers.CacheControl = "no-cache";
    }
}
