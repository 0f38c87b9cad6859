using System.Diagnostics;
using System.Text;
using Newtonsoft.Json.Linq;
using ProofAgent.Lsp.Tests.Support;

namespace ProofAgent.Lsp.Tests;

/// <summary>
/// What a language server must survive: malformed JSON-RPC, a prover that crashes, a proof cancelled from the editor, and a
/// shutdown in the middle of a proof (no prover process may outlive the server).
/// </summary>
public sealed class RobustnessTests : IDisposable
{
    /// <summary>A statement the automation cannot prove quickly (nor refute): a proof of it runs until its budget ends.</summary>
    private const string Hard = """
        From Coq Require Import Arith.
        Fixpoint collatz (fuel n : nat) : bool :=
          match fuel with
          | 0 => false
          | S f => if Nat.eqb n 1 then true else collatz f (if Nat.even n then Nat.div2 n else 3 * n + 1)
          end.
        Theorem collatz_all : forall n, 1 <= n -> exists f, collatz f n = true.
        Proof.
        Admitted.
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("proofagent-lsp-robust-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact(Timeout = 120_000)]
    public async Task Should_answer_malformed_messages_with_errors_and_keep_serving()
    {
        await using var raw = RawClient.Start();
        await raw.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}""");
        Assert.NotNull((await raw.ReceiveAsync(m => (int?)m["id"] == 1))["result"]);

        await raw.SendAsync("{ this is not json");
        Assert.Equal(-32700, (int)(await raw.ReceiveAsync(m => m["error"] is not null))["error"]!["code"]!);
        await raw.SendAsync("""[{"jsonrpc":"2.0","id":2,"method":"shutdown"}]""");
        Assert.Equal(-32600, (int)(await raw.ReceiveAsync(m => m["error"] is not null))["error"]!["code"]!);
        await raw.SendAsync("""{"jsonrpc":"2.0","id":3,"method":7}""");
        var badMethod = await raw.ReceiveAsync(m => m["error"] is not null);
        Assert.Equal(-32600, (int)badMethod["error"]!["code"]!);
        Assert.Equal(3, (int)badMethod["id"]!);
        await raw.SendRawAsync("garbage without a header\r\n");
        Assert.Equal(-32700, (int)(await raw.ReceiveAsync(m => m["error"] is not null))["error"]!["code"]!);
        await raw.SendAsync("""{"jsonrpc":"2.0","id":4,"method":"no/such/method","params":{}}""");
        Assert.Equal(-32601, (int)(await raw.ReceiveAsync(m => (int?)m["id"] == 4))["error"]!["code"]!);
        await raw.SendAsync("""{"jsonrpc":"2.0","id":5,"method":"textDocument/hover","params":{"position":{"line":0,"character":0}}}""");
        var badParams = await raw.ReceiveAsync(m => (int?)m["id"] == 5);
        Assert.Contains("textDocument", (string?)badParams["error"]!["message"], StringComparison.Ordinal);
        await raw.SendAsync("""{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":42}}""");

        // Still alive and answering, and shuts down cleanly.
        await raw.SendAsync("""{"jsonrpc":"2.0","id":6,"method":"shutdown"}""");
        Assert.True((await raw.ReceiveAsync(m => (int?)m["id"] == 6)).ContainsKey("result"));
        await raw.SendAsync("""{"jsonrpc":"2.0","method":"exit"}""");
        Assert.Equal(0, await raw.ExitCodeAsync());
    }

    [RequiresToolsFact("bwrap", Timeout = 120_000)]
    public async Task Should_turn_a_prover_crash_into_a_diagnostic()
    {
        // A "coqc" that reports a version, then dies of SIGSEGV on every file: a crash, not a proof verdict.
        var fake = Path.Combine(_folder, "crashing-coqc");
        await File.WriteAllTextAsync(fake, "#!/bin/sh\nif [ \"$1\" = \"--version\" ]; then echo 'The Coq Proof Assistant, version 8.16.1'; exit 0; fi\nkill -SEGV $$\n");
        if (OperatingSystem.IsWindows())
        {
            return; // bwrap (required above) is Linux only
        }

        // bwrap binds the executable from the host: its folder must be readable by others (a temp folder is 0700).
        File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await using var server = await LspServerProcess.StartAsync(new Dictionary<string, string> { ["PROOFAGENT_COQC"] = fake });
        await server.InitializeAsync();
        var uri = new Uri(Path.Combine(_folder, "any.v")).AbsoluteUri;
        await server.OpenAsync(uri, "Theorem t : True.\nProof. exact I. Qed.\n");

        var diagnostics = (JArray)(await server.DiagnosticsAsync(uri))["diagnostics"]!;
        Assert.True(diagnostics.Count == 1, diagnostics.ToString());
        var diagnostic = (JObject)diagnostics[0];
        Assert.True((int)diagnostic["severity"]! == 1, diagnostic.ToString());
        Assert.StartsWith("the prover failed", (string?)diagnostic["message"], StringComparison.Ordinal);
        Assert.Equal(0, await server.ShutdownAsync());
    }

    [RequiresToolsFact("coqc", "coqidetop.opt", Timeout = 180_000)]
    public async Task Should_cancel_a_proof_from_the_editor_and_leave_no_prover_running()
    {
        await using var server = await LspServerProcess.StartAsync("--budget-seconds", "600");
        await server.InitializeAsync();
        var uri = new Uri(Path.Combine(_folder, "hard.v")).AbsoluteUri;
        await server.OpenAsync(uri, Hard);
        await server.DiagnosticsAsync(uri);

        var prove = server.Rpc.InvokeWithParameterObjectAsync<JObject>("workspace/executeCommand", Prove(uri));
        await LspServerProcess.WaitUntilAsync(() => server.Progress.Count(p => (string?)p["value"]!["kind"] == "report") >= 2, 120, "progress reports of the search");
        Assert.Contains(ProcessTree.Descendants(server.ProcessId), p => p.Name.StartsWith("coqidetop.opt", StringComparison.Ordinal));
        var token = server.Progress.First()["token"]!;
        var cancelled = Stopwatch.StartNew();
        await server.Rpc.NotifyWithParameterObjectAsync("window/workDoneProgress/cancel", new JObject { ["token"] = token });

        var result = await prove;
        Assert.Equal("cancelled", (string?)result["verdict"]);
        Assert.True(cancelled.Elapsed < TimeSpan.FromSeconds(60), $"cancellation took {cancelled.Elapsed}");
        Assert.Empty(server.AppliedEdits);
        Assert.Equal("end", (string?)server.Progress.Last()["value"]!["kind"]);
        await LspServerProcess.WaitUntilAsync(() => !ProcessTree.Descendants(server.ProcessId).Any(p => p.Name.StartsWith("coq", StringComparison.Ordinal)), 30, "the Coq processes end");
        Assert.Equal(0, await server.ShutdownAsync());
    }

    [RequiresToolsFact("coqc", "coqidetop.opt", Timeout = 180_000)]
    public async Task Should_kill_every_prover_process_on_shutdown()
    {
        await using var server = await LspServerProcess.StartAsync("--budget-seconds", "600");
        await server.InitializeAsync();
        var uri = new Uri(Path.Combine(_folder, "hard.v")).AbsoluteUri;
        await server.OpenAsync(uri, Hard);
        await server.DiagnosticsAsync(uri);

        var prove = server.Rpc.InvokeWithParameterObjectAsync<JObject>("workspace/executeCommand", Prove(uri));
        await LspServerProcess.WaitUntilAsync(() => ProcessTree.Descendants(server.ProcessId).Any(p => p.Name.StartsWith("coqidetop.opt", StringComparison.Ordinal)), 120, "a coqidetop session");
        var provers = ProcessTree.Descendants(server.ProcessId);

        Assert.Equal(0, await server.ShutdownAsync());
        Assert.Equal("cancelled", (string?)(await prove)["verdict"]);
        var alive = provers.Where(p => ProcessTree.IsAlive(p.Pid)).ToList();
        Assert.True(alive.Count == 0, "still running after exit: " + string.Join(", ", alive.Select(p => $"{p.Name} ({p.Pid})")));
    }

    private static JObject Prove(string uri) => new()
    {
        ["command"] = "proofagent.prove",
        ["arguments"] = new JArray(new JObject { ["uri"] = uri, ["theorem"] = "collatz_all" }),
    };

    /// <summary>A client that writes bytes as they are, to send what a real client never would.</summary>
    private sealed class RawClient : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Stream _output;

        private RawClient(Process process)
        {
            _process = process;
            _output = process.StandardOutput.BaseStream;
            _ = process.StandardError.ReadToEndAsync();
        }

        public static RawClient Start()
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "agent.dll"));
            start.ArgumentList.Add("lsp");
            return new RawClient(Process.Start(start)!);
        }

        public Task SendAsync(string json) =>
            SendRawAsync($"Content-Length: {Encoding.UTF8.GetByteCount(json)}\r\n\r\n{json}");

        public async Task SendRawAsync(string bytes)
        {
            await _process.StandardInput.BaseStream.WriteAsync(Encoding.UTF8.GetBytes(bytes));
            await _process.StandardInput.BaseStream.FlushAsync();
        }

        /// <summary>The next message that matches (others are skipped), within 60 s.</summary>
        public async Task<JObject> ReceiveAsync(Func<JObject, bool> match)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                var length = 0;
                string line;
                while ((line = await ReadLineAsync(timeout.Token)).Length > 0)
                {
                    if (line.StartsWith("Content-Length:", StringComparison.Ordinal))
                    {
                        length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    }
                }

                var body = new byte[length];
                await _output.ReadExactlyAsync(body, timeout.Token);
                var message = JObject.Parse(Encoding.UTF8.GetString(body));
                if (match(message))
                {
                    return message;
                }
            }
        }

        public async Task<int> ExitCodeAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            var bytes = new List<byte>();
            var one = new byte[1];
            while (true)
            {
                if (await _output.ReadAsync(one, cancellationToken) == 0)
                {
                    throw new EndOfStreamException("the server closed its output");
                }

                if (one[0] == '\n')
                {
                    return Encoding.ASCII.GetString([.. bytes]).TrimEnd('\r');
                }

                bytes.Add(one[0]);
            }
        }
    }
}
