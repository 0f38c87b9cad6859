using Spectre.Console;

namespace ProofAgent.Cli.Infrastructure;

/// <summary>
/// Wraps every command action with the CLI contract: the <c>--json</c> switch, exit codes 2 for
/// <see cref="UsageException"/> and 3 for anything unexpected, each reported as JSON when asked.
/// </summary>
public static class CommandRunner
{
    /// <summary>The global <c>--json</c> option, recursive to every subcommand.</summary>
    public static Option<bool> JsonOption { get; } = new("--json")
    {
        Description = "Write exactly one JSON object (or JSON Lines for streams) to stdout; human text goes to stderr.",
        Recursive = true,
    };

    /// <summary>Sets an asynchronous action that receives the parse result, the output and a cancellation token.</summary>
    public static void SetHandler(this Command command, Func<ParseResult, CliOutput, CancellationToken, Task<int>> action)
    {
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = new CliOutput(parseResult.GetValue(JsonOption), Console.Out, Console.Error);
            try
            {
                return await action(parseResult, output, cancellationToken);
            }
            catch (UsageException exception)
            {
                return Fail(output, ExitCodes.BadInput, "bad-input", exception.Message);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return Fail(output, ExitCodes.InternalError, "cancelled", "cancelled");
            }
#pragma warning disable CA1031 // The CLI's last line of defence: every failure becomes exit code 3 with a message.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                return Fail(output, ExitCodes.InternalError, "internal-error", exception.ToString());
            }
        });
    }

    /// <summary>Reports an error per the contract and returns its exit code.</summary>
    public static int Fail(CliOutput output, int exitCode, string kind, string message)
    {
        if (output.Json)
        {
            output.WriteJson(new { error = kind, message, exitCode });
        }

        output.Error.MarkupLineInterpolated($"[red]{kind}:[/] {message}");
        return exitCode;
    }

    /// <summary>Reads a user file, turning every failure into a clear usage error that names the file.</summary>
    public static string ReadUserFile(string path, string what = "file", long maxBytes = 16 * 1024 * 1024)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new UsageException(Directory.Exists(path) ? $"{what} '{path}' is a directory, not a file" : $"{what} '{path}' does not exist");
        }

        if (info.Length > maxBytes)
        {
            throw new UsageException($"{what} '{path}' is {info.Length} bytes; the limit is {maxBytes}");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read {what} '{path}': {exception.Message}");
        }

        try
        {
            var text = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            if (text.Contains('\0', StringComparison.Ordinal))
            {
                throw new UsageException($"{what} '{path}' contains a NUL byte at offset {text.IndexOf('\0', StringComparison.Ordinal)}; expected text");
            }

            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (System.Text.DecoderFallbackException exception)
        {
            throw new UsageException($"{what} '{path}' is not valid UTF-8 (byte offset {exception.Index})");
        }
    }
}
