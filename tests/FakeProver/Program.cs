// FakeProver: a scripted stand-in for a prover process, for tests of the process layer and of protocol clients.
//
// It reads requests from stdin and answers each one with the next response of a recorded transcript, so a client can be
// exercised through real pipes, real framing, real timeouts and real kills, without the prover installed.
//
// Usage:
//   FakeProver --responses OUT_FILE [--requests IN_FILE] [--frame blank|line]
//              [--delay-ms N] [--hang-at K] [--crash-at K] [--exit-code C] [--garbage-at K] [--truncate-at K]
//              [--ignore-sigint] [--banner TEXT]
//
//   --responses FILE   the recorded answers (for example a Lean REPL `X.expected.out`).
//   --requests FILE    the recorded requests (`X.in`); each received request must equal the recorded one (as JSON when both
//                      parse, else with whitespace collapsed), otherwise FakeProver prints the difference on stderr and exits 3.
//   --frame blank      requests and responses are separated by blank lines (the Lean REPL; the default).
//   --frame line       one request / one response per line (F* --ide JSON, SMT-LIB answers).
//   --delay-ms N       wait N ms before every answer.
//   --hang-at K        on the K-th request (0-based), never answer (sleeps forever).
//   --crash-at K       on the K-th request, print "fake prover: crashing" on stderr and exit with --exit-code (default 134).
//   --garbage-at K     on the K-th request, answer "this is not a protocol message" instead.
//   --truncate-at K    on the K-th request, write the first half of the answer and exit 0 (a truncated stream).
//   --ignore-sigint    ignore SIGINT (the graceful interrupt), so only a forced kill stops the process.
//   --banner TEXT      write TEXT followed by a newline to stdout at start (a prover's greeting).
// Exit codes: 0 when stdin closes or the transcript is exhausted, 2 for bad arguments, 3 for an unexpected request.
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

var options = new Dictionary<string, string>(StringComparer.Ordinal);
var flags = new HashSet<string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--ignore-sigint")
    {
        flags.Add(args[i]);
    }
    else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
    {
        options[args[i]] = args[++i];
    }
    else
    {
        await Console.Error.WriteLineAsync($"fake prover: unexpected argument '{args[i]}'");
        return 2;
    }
}

if (!options.TryGetValue("--responses", out var responsesPath) || !File.Exists(responsesPath))
{
    await Console.Error.WriteLineAsync("fake prover: --responses FILE is required and must exist");
    return 2;
}

var lineFraming = options.TryGetValue("--frame", out var frame) && frame == "line";
var responses = Split(await File.ReadAllTextAsync(responsesPath), lineFraming);
var requests = options.TryGetValue("--requests", out var requestsPath) ? Split(await File.ReadAllTextAsync(requestsPath), lineFraming) : null;
int Option(string name, int fallback) => options.TryGetValue(name, out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : fallback;
var delay = Option("--delay-ms", 0);
var hangAt = Option("--hang-at", -1);
var crashAt = Option("--crash-at", -1);
var exitCode = Option("--exit-code", 134);
var garbageAt = Option("--garbage-at", -1);
var truncateAt = Option("--truncate-at", -1);

using var sigint = flags.Contains("--ignore-sigint") ? PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true) : null;

var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
if (options.TryGetValue("--banner", out var banner))
{
    await stdout.WriteLineAsync(banner);
}

var terminator = lineFraming ? "\n" : "\n\n";
var index = 0;
var pending = new StringBuilder();
while (await stdin.ReadLineAsync() is { } line)
{
    if (!lineFraming)
    {
        if (line.Trim().Length > 0)
        {
            pending.Append(pending.Length > 0 ? "\n" : string.Empty).Append(line);
            continue;
        }

        if (pending.Length == 0)
        {
            continue;
        }
    }
    else
    {
        pending.Append(line);
    }

    var request = pending.ToString();
    pending.Clear();
    if (requests is not null && (index >= requests.Count || !SameRequest(requests[index], request)))
    {
        var expected = index < requests.Count ? requests[index] : "(no more requests)";
        await Console.Error.WriteLineAsync($"fake prover: request {index} differs from the transcript\nexpected: {expected}\nreceived: {request}");
        return 3;
    }

    if (index == crashAt)
    {
        await Console.Error.WriteLineAsync("fake prover: crashing");
        return exitCode;
    }

    if (index == hangAt)
    {
        Thread.Sleep(Timeout.Infinite);
    }

    if (delay > 0)
    {
        Thread.Sleep(delay);
    }

    if (index >= responses.Count)
    {
        await Console.Error.WriteLineAsync("fake prover: transcript exhausted");
        return 0;
    }

    var response = responses[index];
    if (index == garbageAt)
    {
        await stdout.WriteAsync("this is not a protocol message" + terminator);
    }
    else if (index == truncateAt)
    {
        await stdout.WriteAsync(response[..(response.Length / 2)]);
        return 0;
    }
    else
    {
        await stdout.WriteAsync(response + terminator);
    }

    index++;
}

return 0;

static List<string> Split(string text, bool lines) =>
    lines
        ? [.. text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Where(l => l.Trim().Length > 0)]
        : [.. Regex.Split(text.Replace("\r\n", "\n", StringComparison.Ordinal), @"\n[ \t]*\n").Select(f => f.Trim('\n')).Where(f => f.Trim().Length > 0)];

static bool SameRequest(string expected, string received)
{
    try
    {
        using var a = JsonDocument.Parse(expected);
        using var b = JsonDocument.Parse(received);
        return JsonElement.DeepEquals(a.RootElement, b.RootElement);
    }
    catch (JsonException)
    {
        return string.Equals(Collapse(expected), Collapse(received), StringComparison.Ordinal);
    }

    static string Collapse(string text) => Regex.Replace(text, @"\s+", string.Empty);
}
