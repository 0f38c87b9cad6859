namespace ProofAgent.Provers.Smt;

/// <summary>Reads what an SMT-LIB solver printed: answers, models, errors.</summary>
public static class SmtOutputReader
{
    private static readonly HashSet<string> AnswerAtoms = new(StringComparer.Ordinal) { "sat", "unsat", "unknown", "timeout" };

    /// <summary>The solver's output split into answers (in order), models and error messages.</summary>
    public sealed record Reading(IReadOnlyList<string> Answers, IReadOnlyList<SmtModel> Models, IReadOnlyList<string> Errors, string? ReasonUnknown);

    public static Reading Read(string output)
    {
        IReadOnlyList<SExpr> exprs;
        try
        {
            exprs = SExpr.ParseAll(output);
        }
        catch (FormatException)
        {
            // Solvers sometimes print unbalanced diagnostics (e.g. a crash message); fall back to the answer lines.
            var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return new Reading([.. lines.Where(AnswerAtoms.Contains)], [], [.. lines.Where(l => l.StartsWith("(error", StringComparison.Ordinal))], null);
        }

        var answers = new List<string>();
        var models = new List<SmtModel>();
        var errors = new List<string>();
        string? reason = null;
        foreach (var expr in exprs)
        {
            switch (expr)
            {
                case SExpr.Atom atom when AnswerAtoms.Contains(atom.Text):
                    answers.Add(atom.Text);
                    break;
                case SExpr.List { Items: [SExpr.Atom { Text: "error" }, SExpr.Atom message] }:
                    errors.Add(SExpr.Unquote(message.Text));
                    break;
                case SExpr.List { Items: [SExpr.Atom { Text: ":reason-unknown" }, SExpr.Atom why] }:
                    reason = SExpr.Unquote(why.Text);
                    break;
                case SExpr.List list when IsModel(list):
                    models.Add(ReadModel(list));
                    break;
            }
        }

        return new Reading(answers, models, errors, reason);
    }

    /// <summary>A model is a list of <c>define-fun</c>s, optionally headed by the atom <c>model</c> (older z3).</summary>
    private static bool IsModel(SExpr.List list) =>
        list.Items.Count == 0 ||
        list.Items.All(i => i.Head is "define-fun" or "define-fun-rec" or "declare-fun" or "forall") ||
        (list.Items[0].IsAtom("model") && list.Items.Skip(1).All(i => i.Head is "define-fun" or "define-fun-rec" or "declare-fun" or "forall"));

    private static SmtModel ReadModel(SExpr.List list)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in list.Items)
        {
            // (define-fun name (args) Sort value): constants have no arguments; functions are kept whole.
            if (item is SExpr.List { Items: [SExpr.Atom { Text: "define-fun" }, SExpr.Atom name, SExpr.List args, _, var value] })
            {
                values[name.Text] = args.Items.Count == 0
                    ? SExpr.Canonical(value)
                    : $"(lambda {SExpr.Canonical(args)} {SExpr.Canonical(value)})";
            }
        }

        return new SmtModel(values, SExpr.Canonical(list));
    }

    /// <summary>How many <c>(check-sat)</c> commands a script issues (its expected number of answers).</summary>
    public static int CountCheckSats(string script) =>
        SExpr.ParseAll(script).Count(e => e.Head is "check-sat" or "check-sat-assuming");
}
