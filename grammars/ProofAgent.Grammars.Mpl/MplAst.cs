using System.Text;

namespace ProofAgent.Grammars.Mpl;

/// <summary>A position in an MPL source: 1-based line and column.</summary>
public readonly record struct SourcePosition(string Source, int Line, int Column)
{
    public override string ToString() => $"{Source}:{Line}:{Column}";
}

/// <summary>An MPL formula. Printing with <see cref="ToString"/> gives GL's compact one-line syntax.</summary>
public abstract record MplFormula(SourcePosition Position)
{
    public sealed override string ToString()
    {
        var builder = new StringBuilder();
        Print(builder);
        return builder.ToString();
    }

    public abstract void Print(StringBuilder builder);

    /// <summary>(name[args]): in, in2, in3, = or a named definition.</summary>
    public sealed record Atom(string Name, IReadOnlyList<string> Args, SourcePosition Position) : MplFormula(Position)
    {
        public override void Print(StringBuilder builder) =>
            builder.Append('(').Append(Name).Append('[').AppendJoin(',', Args).Append("])");

        public bool Equals(Atom? other) => other is not null && Name == other.Name && Args.SequenceEqual(other.Args);

        public override int GetHashCode() => HashCode.Combine(Name, Args.Count);
    }

    /// <summary>(&amp; Left Right).</summary>
    public sealed record And(MplFormula Left, MplFormula Right, SourcePosition Position) : MplFormula(Position)
    {
        public override void Print(StringBuilder builder)
        {
            builder.Append("(&");
            Left.Print(builder);
            Right.Print(builder);
            builder.Append(')');
        }
    }

    /// <summary>!Inner.</summary>
    public sealed record Not(MplFormula Inner, SourcePosition Position) : MplFormula(Position)
    {
        public override void Print(StringBuilder builder)
        {
            builder.Append('!');
            Inner.Print(builder);
        }
    }

    /// <summary>(&gt;[Vars] Premise Conclusion): for all Vars, Premise implies Conclusion.</summary>
    public sealed record ForAll(IReadOnlyList<string> Vars, MplFormula Premise, MplFormula Conclusion, SourcePosition Position) : MplFormula(Position)
    {
        public override void Print(StringBuilder builder)
        {
            builder.Append("(>[").AppendJoin(',', Vars).Append(']');
            Premise.Print(builder);
            Conclusion.Print(builder);
            builder.Append(')');
        }

        public bool Equals(ForAll? other) =>
            other is not null && Vars.SequenceEqual(other.Vars) && Premise.Equals(other.Premise) && Conclusion.Equals(other.Conclusion);

        public override int GetHashCode() => HashCode.Combine(Vars.Count, Premise, Conclusion);
    }
}

/// <summary>A named definition: <c>Name[Params] := Body</c>.</summary>
public sealed record MplDefinition(string Name, IReadOnlyList<string> Params, MplFormula Body, SourcePosition Position)
{
    public string Signature => $"{Name}[{string.Join(',', Params)}]";
}

/// <summary>What a file holds: named definitions, or a single formula (GL's layout, one definition per file).</summary>
public abstract record MplFile(string Source)
{
    public sealed record Definitions(string Source, IReadOnlyList<MplDefinition> Items) : MplFile(Source);

    public sealed record SingleFormula(string Source, MplFormula Formula) : MplFile(Source);
}

/// <summary>A syntax error with its place and what was expected.</summary>
public sealed record MplSyntaxError(SourcePosition Position, string Message)
{
    public override string ToString() => $"{Position}: {Message}";
}

/// <summary>Thrown when an MPL text does not parse; <see cref="Errors"/> lists every error with line and column.</summary>
public sealed class MplParseException(IReadOnlyList<MplSyntaxError> errors)
    : Exception(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
{
    public IReadOnlyList<MplSyntaxError> Errors { get; } = errors;
}
