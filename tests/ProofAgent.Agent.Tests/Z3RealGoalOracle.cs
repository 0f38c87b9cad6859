using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ProofAgent.Provers;
using ProofAgent.Provers.Smt;

namespace ProofAgent.Agent.Tests;

/// <summary>
/// A test-only goal oracle for polynomial goals over Coq's reals (until the SmtBridge lands): variables of type R, hypotheses
/// and conclusion built from numerals, + - * / ^n and comparisons, sent to a real z3 process.
/// </summary>
public sealed partial class Z3RealGoalOracle(ISmtSolver solver) : IGoalOracle
{
    public int Calls { get; private set; }

    public async Task<GoalVerdict> DecideAsync(ProofLanguage language, Goal goal, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Calls++;
        var declarations = new StringBuilder();
        foreach (var hypothesis in goal.Hypotheses)
        {
            if (hypothesis.Type.Trim() == "R")
            {
                foreach (var name in hypothesis.Names)
                {
                    declarations.Append(CultureInfo.InvariantCulture, $"(declare-const {name} Real)\n");
                }
            }
        }

        var assertions = new StringBuilder();
        foreach (var hypothesis in goal.Hypotheses.Where(h => h.Type.Trim() != "R"))
        {
            var term = Translate(hypothesis.Type);
            if (term is null)
            {
                return new GoalVerdict.Untranslatable($"hypothesis {hypothesis}");
            }

            assertions.Append(CultureInfo.InvariantCulture, $"(assert {term})\n");
        }

        // Top-level implications of the conclusion are hypotheses too.
        var parts = goal.Conclusion.Split("->", StringSplitOptions.TrimEntries);
        foreach (var premise in parts[..^1])
        {
            var term = Translate(premise);
            if (term is null)
            {
                return new GoalVerdict.Untranslatable($"premise {premise}");
            }

            assertions.Append(CultureInfo.InvariantCulture, $"(assert {term})\n");
        }

        var conclusion = Translate(parts[^1]);
        if (conclusion is null)
        {
            return new GoalVerdict.Untranslatable($"conclusion {goal.Conclusion}");
        }

        var answer = await solver.ProveValidAsync(declarations.ToString() + assertions, conclusion, timeout, cancellationToken);
        return answer switch
        {
            ValidityAnswer.Valid valid => new GoalVerdict.Valid(valid.Solver),
            ValidityAnswer.Counterexample counterexample => new GoalVerdict.Counterexample(counterexample.Model.Values, counterexample.Solver),
            ValidityAnswer.Unknown unknown => new GoalVerdict.Unknown(unknown.Reason),
            _ => new GoalVerdict.Unknown("unexpected answer"),
        };
    }

    /// <summary>Infix real arithmetic to SMT-LIB, or null outside the fragment.</summary>
    public static string? Translate(string text)
    {
        var tokens = Token().Matches(text).Select(m => m.Value).ToList();
        if (string.Concat(tokens) != Whitespace().Replace(text, string.Empty))
        {
            return null;
        }

        var position = 0;
        try
        {
            var left = Sum();
            if (position == tokens.Count)
            {
                return null;
            }

            var op = tokens[position++];
            var right = Sum();
            if (position != tokens.Count)
            {
                return null;
            }

            return op switch
            {
                "<>" => $"(not (= {left} {right}))",
                "=" or "<" or "<=" or ">" or ">=" => $"({op} {left} {right})",
                _ => null,
            };
        }
        catch (FormatException)
        {
            return null;
        }

        string Peek() => position < tokens.Count ? tokens[position] : string.Empty;

        string Sum()
        {
            var term = Product();
            while (Peek() is "+" or "-")
            {
                var op = tokens[position++];
                term = $"({op} {term} {Product()})";
            }

            return term;
        }

        string Product()
        {
            var term = Unary();
            while (Peek() is "*" or "/")
            {
                var op = tokens[position++];
                term = $"({op} {term} {Unary()})";
            }

            return term;
        }

        string Unary()
        {
            if (Peek() == "-")
            {
                position++;
                return $"(- {Unary()})";
            }

            var atom = Atom();
            if (Peek() == "^")
            {
                position++;
                var exponent = int.Parse(tokens[position++], CultureInfo.InvariantCulture);
                return exponent == 0 ? "1.0" : $"(* {string.Join(" ", Enumerable.Repeat(atom, exponent))})".Replace("(* " + atom + ")", atom, StringComparison.Ordinal);
            }

            return atom;
        }

        string Atom()
        {
            var token = Peek();
            position++;
            if (token == "(")
            {
                var inner = Sum();
                if (Peek() != ")")
                {
                    throw new FormatException("unbalanced");
                }

                position++;
                return inner;
            }

            if (token.Length > 0 && char.IsDigit(token[0]))
            {
                return token.Contains('.', StringComparison.Ordinal) ? token : token + ".0";
            }

            if (token.Length > 0 && (char.IsLetter(token[0]) || token[0] == '_'))
            {
                return token;
            }

            throw new FormatException("unexpected token " + token);
        }
    }

    [GeneratedRegex(@"<>|<=|>=|[<>=+\-*/^()]|\d+(\.\d+)?|[A-Za-z_][\w']*")]
    private static partial Regex Token();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
