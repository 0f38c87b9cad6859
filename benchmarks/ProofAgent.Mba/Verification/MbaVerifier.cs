using System.Globalization;
using ProofAgent.Provers.Smt;

namespace ProofAgent.Mba;

/// <summary>How an MBA verdict was established.</summary>
public enum MbaMethod
{
    /// <summary>The truth-table theorem for linear MBA (2^k evaluations).</summary>
    TruthTable,

    /// <summary>Evaluation at every assignment of every variable (variables × bits ≤ 24 by default), vectorised.</summary>
    Exhaustive,

    /// <summary>Equal algebraic normal forms (<see cref="MbaNormalForm"/>): the identity holds at this width.</summary>
    NormalForm,

    /// <summary>A counterexample found by evaluating at seeded random points.</summary>
    Random,

    /// <summary>A bit-vector validity proof (or model) from an SMT solver.</summary>
    Smt,

    /// <summary>
    /// SMT proofs of the lemma steps of <see cref="MbaLemmas"/>: each bitwise atom equals its conjunction-basis form, and
    /// the identity with the atoms replaced holds (a model of the last step is re-evaluated on the original identity).
    /// </summary>
    SmtLemmas,
}

/// <summary>The names the CLI's JSON and the problem files use for <see cref="MbaMethod"/> (one spelling everywhere).</summary>
public static class MbaMethodNames
{
    public static string Name(this MbaMethod method) => method switch
    {
        MbaMethod.TruthTable => "truth-table",
        MbaMethod.Exhaustive => "exhaustive",
        MbaMethod.NormalForm => "normal-form",
        MbaMethod.Random => "random",
        MbaMethod.Smt => "z3",
        MbaMethod.SmtLemmas => "z3-lemmas",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown MBA method"),
    };
}

/// <summary>The answer to "is lhs = rhs on all n-bit words?". Closed hierarchy.</summary>
public abstract record MbaVerdict(MbaMethod? Method)
{
    public sealed record Identity(MbaMethod By) : MbaVerdict(By);

    /// <summary>Values (as unsigned n-bit words) where the sides differ; re-checked by evaluation.</summary>
    public sealed record Counterexample(IReadOnlyDictionary<string, ulong> Assignment, ulong Lhs, ulong Rhs, MbaMethod By) : MbaVerdict(By);

    public sealed record Unknown(string Reason) : MbaVerdict((MbaMethod?)null);

    public string Name => this switch
    {
        Identity => "identity",
        Counterexample => "counterexample",
        _ => "unknown",
    };
}

/// <summary>Which ground truth to use.</summary>
public enum MbaStrategy
{
    /// <summary>
    /// Truth table when linear; else the normal form; else exhaustive evaluation when variables × bits is small; else
    /// a seeded random search for a counterexample, then SMT on the normal-form difference.
    /// </summary>
    Auto,

    /// <summary>Only the truth-table theorem (unknown for non-linear questions).</summary>
    TruthTableOnly,

    /// <summary>Only the SMT solver.</summary>
    SmtOnly,

    /// <summary>Only the SMT solver, asked the lemma steps of <see cref="MbaLemmas"/> for linear MBA (the whole question otherwise).</summary>
    SmtLemmas,

    /// <summary>Only exhaustive evaluation (unknown when variables × bits is over the limit).</summary>
    ExhaustiveOnly,
}

/// <summary>The names the CLI uses for <see cref="MbaStrategy"/>.</summary>
public static class MbaStrategyNames
{
    public static IReadOnlyDictionary<string, MbaStrategy> ByName { get; } = new Dictionary<string, MbaStrategy>(StringComparer.Ordinal)
    {
        ["auto"] = MbaStrategy.Auto,
        ["truth-table"] = MbaStrategy.TruthTableOnly,
        ["exhaustive"] = MbaStrategy.ExhaustiveOnly,
        ["smt"] = MbaStrategy.SmtOnly,
        ["smt-lemmas"] = MbaStrategy.SmtLemmas,
    };
}

public sealed record MbaVerifyOptions
{
    public static MbaVerifyOptions Default { get; } = new();

    public MbaStrategy Strategy { get; init; } = MbaStrategy.Auto;

    /// <summary>The solver's own limit per query.</summary>
    public TimeSpan SmtTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Wall-clock time a query may run past <see cref="SmtTimeout"/> before it is cancelled here (the solver process is
    /// then stopped and the answer is unknown), whatever the solver does with its own limit.
    /// </summary>
    public TimeSpan SmtGrace { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Exhaustive evaluation when variables × bits is at most this (2^24: about 16 million points).</summary>
    public int ExhaustiveMaxBits { get; init; } = MbaExhaustive.DefaultMaxPointBits;

    /// <summary>Cores for exhaustive evaluation (0: all).</summary>
    public int Parallelism { get; init; }

    public int RandomSamples { get; init; } = 256;

    public int Seed { get; init; } = 12345;

    public MbaVerifyOptions WithStrategy(MbaStrategy strategy) => this with { Strategy = strategy };

    public MbaVerifyOptions WithSmtTimeout(TimeSpan timeout) => this with { SmtTimeout = timeout };
}

/// <summary>Decides MBA identities at n bits with a sound method for each class; every counterexample is re-evaluated.</summary>
public sealed class MbaVerifier(ISmtSolver? solver, MbaVerifyOptions? options = null)
{
    private readonly MbaVerifyOptions _options = options ?? MbaVerifyOptions.Default;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _provenLemmas = new(StringComparer.Ordinal);
    private int _solverQueries;

    /// <summary>SMT queries asked so far (lemma strategy: proven lemmas are remembered per width and not asked again).</summary>
    public int SolverQueries => _solverQueries;

    /// <summary>Distinct lemmas proven so far.</summary>
    public int ProvenLemmas => _provenLemmas.Count;

    public async Task<MbaVerdict> VerifyAsync(MbaExpr lhs, MbaExpr rhs, int bits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lhs);
        ArgumentNullException.ThrowIfNull(rhs);
        var variables = MbaWords.Variables(lhs, rhs);
        var left = new MbaEvaluator(lhs, bits, variables);
        var right = new MbaEvaluator(rhs, bits, variables);
        var strategy = _options.Strategy;
        if (strategy == MbaStrategy.SmtLemmas && solver is not null && MbaLemmas.Build(lhs, rhs, bits) is { } question)
        {
            return await LemmaSmtAsync(question, left, right, variables, bits, cancellationToken);
        }

        var exhaustive = variables.Count * bits <= Math.Min(_options.ExhaustiveMaxBits, MbaExhaustive.MaxPointBits);
        if (strategy == MbaStrategy.ExhaustiveOnly)
        {
            return exhaustive
                ? Exhaustive(lhs, rhs, left, right, variables, bits, cancellationToken)
                : new MbaVerdict.Unknown($"{variables.Count} variables at {bits} bits: more than 2^{Math.Min(_options.ExhaustiveMaxBits, MbaExhaustive.MaxPointBits)} points to evaluate");
        }

        // What the solver is asked: the question itself, or the (smaller) normal-form difference = 0.
        var (asked, zero) = (lhs, rhs);
        if (strategy is not (MbaStrategy.SmtOnly or MbaStrategy.SmtLemmas))
        {
            if (MbaLinearity.IsLinearIdentityQuestion(lhs, rhs, bits) && variables.Count <= 20)
            {
                return TruthTable(left, right, variables, bits);
            }

            if (strategy == MbaStrategy.TruthTableOnly)
            {
                return new MbaVerdict.Unknown(variables.Count > 20 ? "more than 20 variables" : "not a linear MBA: the truth-table theorem does not apply");
            }

            var normal = MbaNormalForm.Difference(lhs, rhs, bits);
            if (normal is { IsZero: true })
            {
                return new MbaVerdict.Identity(MbaMethod.NormalForm);
            }

            if (exhaustive)
            {
                return Exhaustive(lhs, rhs, left, right, variables, bits, cancellationToken);
            }

            if (RandomSearch(left, right, variables, bits) is { } found)
            {
                return found;
            }

            if (normal is not null)
            {
                (asked, zero) = (normal.ToExpression(), new MbaConst(0));
            }
        }

        if (solver is null)
        {
            return new MbaVerdict.Unknown("no SMT solver configured for a non-linear question");
        }

        return await SmtAsync(asked, zero, left, right, variables, bits, MbaMethod.Smt, cancellationToken);
    }

    /// <summary>The SMT-LIB declarations and the equality whose validity is asked.</summary>
    public static (string Declarations, string Formula) SmtQuestion(MbaExpr lhs, MbaExpr rhs, int bits) =>
        SmtQuestion(lhs, rhs, bits, MbaWords.Variables(lhs, rhs));

    private static (string Declarations, string Formula) SmtQuestion(MbaExpr lhs, MbaExpr rhs, int bits, IReadOnlyList<string> variables)
    {
        var declarations = string.Join("\n", variables.Select(v => $"(declare-const {MbaRender.SmtName(v)} (_ BitVec {bits}))"));
        return (declarations, $"(= {MbaRender.Smt(lhs, bits)} {MbaRender.Smt(rhs, bits)})");
    }

    private static MbaVerdict TruthTable(MbaEvaluator left, MbaEvaluator right, IReadOnlyList<string> variables, int bits)
    {
        var mask = MbaWords.Mask(bits);
        var values = new ulong[variables.Count];
        for (var s = 0; s < 1 << variables.Count; s++)
        {
            for (var j = 0; j < values.Length; j++)
            {
                values[j] = ((s >> j) & 1) != 0 ? mask : 0;
            }

            if (Differs(left, right, variables, values, MbaMethod.TruthTable) is { } counterexample)
            {
                return counterexample;
            }
        }

        return new MbaVerdict.Identity(MbaMethod.TruthTable);
    }

    private MbaVerdict Exhaustive(MbaExpr lhs, MbaExpr rhs, MbaEvaluator left, MbaEvaluator right, IReadOnlyList<string> variables, int bits, CancellationToken cancellationToken)
    {
        var point = MbaExhaustive.FindDifference(lhs, rhs, variables, bits, _options.Parallelism, cancellationToken);
        return point is null
            ? new MbaVerdict.Identity(MbaMethod.Exhaustive)
            : (MbaVerdict?)Differs(left, right, variables, point, MbaMethod.Exhaustive)
                ?? throw new InvalidOperationException($"exhaustive evaluation and the scalar evaluator disagree on {lhs} == {rhs} at {string.Join(", ", point)}");
    }

    private MbaVerdict? RandomSearch(MbaEvaluator left, MbaEvaluator right, IReadOnlyList<string> variables, int bits)
    {
        var random = new Random(_options.Seed);
        var values = new ulong[variables.Count];
        var mask = MbaWords.Mask(bits);
        for (var i = 0; i < _options.RandomSamples; i++)
        {
            for (var j = 0; j < values.Length; j++)
            {
                // Mix small values, corners and uniform words.
                values[j] = (i % 4) switch
                {
                    0 => (ulong)random.Next(0, 4),
                    1 => random.Next(2) == 0 ? 0 : mask,
                    _ => (ulong)random.NextInt64() ^ ((ulong)random.NextInt64() << 32),
                } & mask;
            }

            if (Differs(left, right, variables, values, MbaMethod.Random) is { } counterexample)
            {
                return counterexample;
            }
        }

        return null;
    }

    private async Task<MbaVerdict> LemmaSmtAsync(MbaLemmaQuestion question, MbaEvaluator left, MbaEvaluator right, IReadOnlyList<string> variables, int bits, CancellationToken cancellationToken)
    {
        foreach (var lemma in question.Lemmas)
        {
            var key = $"{bits}:{lemma.Atom} = {lemma.BasisForm}";
            if (_provenLemmas.ContainsKey(key))
            {
                continue;
            }

            switch (await AskAsync(lemma.Atom, lemma.BasisForm, bits, variables, cancellationToken))
            {
                case ValidityAnswer.Valid:
                    _provenLemmas[key] = true;
                    break;
                case ValidityAnswer.Unknown unknown:
                    return new MbaVerdict.Unknown($"{solver!.Name}, lemma {lemma.Atom} == {lemma.BasisForm}: {unknown.Reason}");
                default:
                    return new MbaVerdict.Unknown($"{solver!.Name} refutes the lemma {lemma.Atom} == {lemma.BasisForm} (a basis-form bug)");
            }
        }

        return await SmtAsync(question.Lhs, question.Rhs, left, right, variables, bits, MbaMethod.SmtLemmas, cancellationToken);
    }

    /// <summary>
    /// One validity query, bounded by wall clock here (the solver's limit plus <see cref="MbaVerifyOptions.SmtGrace"/>)
    /// whatever the solver does with its own limit: past it the query is cancelled, which stops the solver process.
    /// </summary>
    private async Task<ValidityAnswer> AskAsync(MbaExpr lhs, MbaExpr rhs, int bits, IReadOnlyList<string> variables, CancellationToken cancellationToken)
    {
        var (declarations, formula) = SmtQuestion(lhs, rhs, bits, variables);
        Interlocked.Increment(ref _solverQueries);
        var limit = _options.SmtTimeout + _options.SmtGrace;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            return await solver!.ProveValidAsync("(set-logic QF_BV)\n" + declarations, formula, _options.SmtTimeout, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ValidityAnswer.Unknown($"no answer within {limit.TotalSeconds:0.###} s of wall clock: the query was stopped", new SmtAnswer.Timeout(_options.SmtTimeout));
        }
    }

    /// <summary>Asks the solver whether <paramref name="lhs"/> = <paramref name="rhs"/>; a model is re-evaluated with <paramref name="left"/> and <paramref name="right"/>.</summary>
    private async Task<MbaVerdict> SmtAsync(MbaExpr lhs, MbaExpr rhs, MbaEvaluator left, MbaEvaluator right, IReadOnlyList<string> variables, int bits, MbaMethod method, CancellationToken cancellationToken)
    {
        var answer = await AskAsync(lhs, rhs, bits, variables, cancellationToken);
        switch (answer)
        {
            case ValidityAnswer.Valid:
                return new MbaVerdict.Identity(method);
            case ValidityAnswer.Counterexample counterexample:
                var values = new ulong[variables.Count];
                for (var j = 0; j < variables.Count; j++)
                {
                    // A variable the model leaves out may take any value: 0.
                    if (counterexample.Model.Values.TryGetValue(variables[j], out var text) || counterexample.Model.Values.TryGetValue(MbaRender.SmtName(variables[j]), out text))
                    {
                        if (!MbaRender.TryParseSmtValue(text, out values[j]))
                        {
                            return new MbaVerdict.Unknown($"{answer} with an unreadable value for {variables[j]}: {text}");
                        }
                    }
                }

                return (MbaVerdict?)Differs(left, right, variables, values, method)
                    ?? new MbaVerdict.Unknown($"the solver's model ({counterexample.Model}) does not refute the identity on re-evaluation");
            case ValidityAnswer.Unknown unknown:
                return new MbaVerdict.Unknown($"{solver!.Name}: {unknown.Reason}");
            default:
                return new MbaVerdict.Unknown("unexpected solver answer");
        }
    }

    private static MbaVerdict.Counterexample? Differs(MbaEvaluator left, MbaEvaluator right, IReadOnlyList<string> variables, ulong[] values, MbaMethod method)
    {
        var l = left.Evaluate(values);
        var r = right.Evaluate(values);
        if (l == r)
        {
            return null;
        }

        var assignment = new SortedDictionary<string, ulong>(StringComparer.Ordinal);
        for (var j = 0; j < variables.Count; j++)
        {
            assignment[variables[j]] = values[j];
        }

        return new MbaVerdict.Counterexample(assignment, l, r, method);
    }

    internal static string Describe(IReadOnlyDictionary<string, ulong> assignment) =>
        string.Join(", ", assignment.Select(kv => $"{kv.Key} = {kv.Value.ToString(CultureInfo.InvariantCulture)}"));
}
