namespace ProofAgent.Mba;

/// <summary>
/// Every Boolean function of k ≤ 3 variables (as a truth table: bit s is the value at assignment s, bit j of s = variable j)
/// with its smallest expression over ~ &amp; | ^ (fewest operators) and a few alternative spellings, found by breadth-first search.
/// </summary>
public sealed class BitwiseTable
{
    private readonly MbaExpr?[] _smallest;
    private readonly List<MbaExpr>[] _alternatives;

    public BitwiseTable(IReadOnlyList<string> variables)
    {
        if (variables.Count is < 1 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(variables), "tables exist for 1 to 3 variables");
        }

        Variables = variables;
        var rows = 1 << variables.Count;
        Functions = 1 << rows;
        FullMask = Functions - 1;
        _smallest = new MbaExpr?[Functions];
        _alternatives = Enumerable.Range(0, Functions).Select(_ => new List<MbaExpr>()).ToArray();
        var byCost = new List<List<(int Table, MbaExpr Expr)>> { new() };
        for (var j = 0; j < variables.Count; j++)
        {
            var table = 0;
            for (var s = 0; s < rows; s++)
            {
                if (((s >> j) & 1) != 0)
                {
                    table |= 1 << s;
                }
            }

            Add(byCost[0], table, new MbaVar(variables[j]));
        }

        for (var cost = 1; cost <= 7 && _smallest.Any(e => e is null); cost++)
        {
            var level = new List<(int, MbaExpr)>();
            foreach (var (table, expr) in byCost[cost - 1])
            {
                if (expr is not MbaUnary)
                {
                    Add(level, ~table & FullMask, new MbaUnary(MbaUnaryOp.Not, expr));
                }
            }

            for (var a = 0; a < cost; a++)
            {
                var b = cost - 1 - a;
                foreach (var (ta, ea) in byCost[a])
                {
                    foreach (var (tb, eb) in byCost[b])
                    {
                        if (a == b && ReferenceEquals(ea, eb))
                        {
                            continue;
                        }

                        Add(level, ta & tb, new MbaBinary(MbaBinaryOp.And, ea, eb));
                        Add(level, ta | tb, new MbaBinary(MbaBinaryOp.Or, ea, eb));
                        Add(level, ta ^ tb, new MbaBinary(MbaBinaryOp.Xor, ea, eb));
                    }
                }
            }

            byCost.Add(level);
        }

        // Constant functions: 0 and all-ones (-1 as a word).
        _smallest[0] ??= new MbaConst(0);
        _smallest[FullMask] = new MbaUnary(MbaUnaryOp.Neg, new MbaConst(1));
    }

    public IReadOnlyList<string> Variables { get; }

    public int Functions { get; }

    public int FullMask { get; }

    public MbaExpr Smallest(int table) => _smallest[table] ?? throw new InvalidOperationException($"no expression for table {table}");

    /// <summary>A spelling of the function chosen by <paramref name="random"/> among the few found (to obfuscate).</summary>
    public MbaExpr Any(int table, Random random)
    {
        var options = _alternatives[table];
        return options.Count == 0 ? Smallest(table) : options[random.Next(options.Count)];
    }

    private void Add(List<(int, MbaExpr)> level, int table, MbaExpr expr)
    {
        if (_smallest[table] is null)
        {
            _smallest[table] = expr;
            level.Add((table, expr));
            _alternatives[table].Add(expr);
        }
        else if (_alternatives[table].Count < 4 && expr.Depth <= _smallest[table]!.Depth + 2)
        {
            _alternatives[table].Add(expr);
        }
    }
}
