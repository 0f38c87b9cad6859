namespace ProofAgent.Provers.Smt;

/// <summary>What the policy made of a script: the commands to send, those dropped (with why), and those refused.</summary>
public sealed record SmtPolicyOutcome(IReadOnlyList<SmtCommand> Kept, IReadOnlyList<(SmtCommand Command, string Why)> Dropped, IReadOnlyList<(SmtCommand Command, string Why)> Refused)
{
    /// <summary>The kept <c>(check-sat)</c> / <c>(check-sat-assuming)</c> commands: the questions the script asks.</summary>
    public IReadOnlyList<SmtCommand> Questions => [.. Kept.Where(c => c.Name is "check-sat" or "check-sat-assuming")];
}

/// <summary>
/// Treats a user's SMT-LIB script as data. The verdict is read from the solver's output, so nothing in the script may
/// write to that output or change where it goes: commands that only print (<c>echo</c>, <c>get-*</c>) are dropped,
/// commands that redirect or reset output (<c>set-option :regular-output-channel</c>, <c>:print-success</c>, <c>reset</c>)
/// and commands outside SMT-LIB's assertion language (solver extensions such as z3's <c>simplify</c> or <c>eval</c>, which
/// print) are refused. Options whose value is a string or a path may name a file or a channel, and are refused too.
/// </summary>
public static class SmtScriptPolicy
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "set-logic", "set-info", "set-option", "declare-sort", "define-sort", "declare-fun", "declare-const", "define-fun",
        "define-fun-rec", "define-funs-rec", "declare-datatype", "declare-datatypes", "assert", "check-sat", "check-sat-assuming",
        "push", "pop", "reset-assertions",
    };

    private static readonly HashSet<string> PrintOnly = new(StringComparer.Ordinal)
    {
        "echo", "get-model", "get-value", "get-assignment", "get-proof", "get-unsat-core", "get-unsat-assumptions",
        "get-assertions", "get-info", "get-option", "exit",
    };

    private static readonly HashSet<string> OutputOptions = new(StringComparer.Ordinal)
    {
        ":print-success", ":regular-output-channel", ":diagnostic-output-channel",
    };

    public static SmtPolicyOutcome Apply(IReadOnlyList<SmtCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var kept = new List<SmtCommand>();
        var dropped = new List<(SmtCommand, string)>();
        var refused = new List<(SmtCommand, string)>();
        var exited = false;
        foreach (var command in commands)
        {
            if (exited)
            {
                dropped.Add((command, "comes after (exit)"));
                continue;
            }

            if (command.Name == "exit")
            {
                exited = true;
            }

            if (PrintOnly.Contains(command.Name))
            {
                dropped.Add((command, $"({command.Name}) only prints; the service reads nothing but the answers to (check-sat)"));
            }
            else if (command.Name == "reset")
            {
                refused.Add((command, "(reset) resets the output options the service relies on; split the script instead"));
            }
            else if (!Allowed.Contains(command.Name))
            {
                refused.Add((command, command.Name.Length == 0
                    ? "a command must start with its name"
                    : $"({command.Name}) is not an SMT-LIB 2.6 assertion command (solver extensions may print and are not accepted)"));
            }
            else if (command.Name == "set-option" && OptionProblem(command) is { } problem)
            {
                refused.Add((command, problem));
            }
            else
            {
                kept.Add(command);
            }
        }

        return new SmtPolicyOutcome(kept, dropped, refused);
    }

    private static string? OptionProblem(SmtCommand command)
    {
        if (command.Expression is not SExpr.List { Items: [_, SExpr.Atom { Text: var name }, var value] })
        {
            return "(set-option) takes a keyword and one value";
        }

        if (OutputOptions.Contains(name))
        {
            return $"(set-option {name} ...) changes the output the service reads";
        }

        if (value is SExpr.Atom { Text: var text } && (text.StartsWith('"') || text.Contains('/', StringComparison.Ordinal) || text is "stdout" or "stderr" or "|stdout|"))
        {
            return $"(set-option {name} ...) names a file or a channel";
        }

        return value is SExpr.Atom ? null : $"(set-option {name} ...) takes an atom";
    }
}
