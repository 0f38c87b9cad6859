namespace ProofAgent.Cli.Commands;

/// <summary>Every top-level command of `agent`, in the order of <c>agent --help</c>; each command lives in its own file.</summary>
internal static class CommandCatalog
{
    private static readonly Func<Command>[] Factories =
    [
        // Checking and proving.
        CheckCommand.Create, ProveCommand.Create, EvalCommand.Create,

        // Serving editors and clients.
        ServeCommand.Create, LspCommand.Create,

        // Models, statements and the SMT oracle.
        ModelsCommand.Create, ParseCommand.Create, SmtTriageCommand.Create,

        // Synthesis benchmarks (Busy Beaver, MBA, generative logic) and the gate's cost.
        SynthCommand.Create, BbCommand.Create, MbaCommand.Create, GlCommand.Create, BenchCommand.Create,
    ];

    public static IEnumerable<Command> All() => Factories.Select(create => create());
}
