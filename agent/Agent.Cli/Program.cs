using ProofAgent.Cli.Commands;

var root = new RootCommand("agent: machine-checked proofs for Lean 4, Isabelle, F*, Coq/Rocq and SMT-LIB.")
{
    CommandRunner.JsonOption,
};

// Each concern contributes its commands here; keep the list in the order `agent --help` should show.
foreach (var command in CommandCatalog.All())
{
    root.Subcommands.Add(command);
}

var parseResult = root.Parse(args);
if (parseResult.Errors.Count > 0)
{
    // The contract says bad usage is exit code 2 (System.CommandLine's default is 1).
    var output = new CliOutput(parseResult.GetValue(CommandRunner.JsonOption), Console.Out, Console.Error);
    var message = string.Join("; ", parseResult.Errors.Select(e => e.Message));
    return CommandRunner.Fail(output, ExitCodes.BadInput, "bad-usage", message + " (see `agent --help`)");
}

return await parseResult.InvokeAsync();
