using System.CommandLine;

namespace ProofAgent.Cli.Commands;

/// <summary>Every top-level command of `agent`. One line per command; each command lives in its own file.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return CheckCommand.Create();
        yield return ProveCommand.Create();
        yield return EvalCommand.Create();
        yield return ServeCommand.Create();
        yield return LspCommand.Create();
        yield return ModelsCommand.Create();
        yield return ParseCommand.Create();
        yield return SmtTriageCommand.Create();
        yield return SynthCommand.Create();
        yield return BbCommand.Create();
        yield return MbaCommand.Create();
        yield return GlCommand.Create();
        yield return BenchCommand.Create();
    }
}
