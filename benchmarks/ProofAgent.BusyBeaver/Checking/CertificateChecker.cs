namespace ProofAgent.BusyBeaver;

/// <summary>
/// Re-verifies certificates with its own, deliberately plain implementation (a dictionary tape, configurations compared
/// as sets of non-blank cells, backward search breadth-first over immutable states, closed position sets as plain strings),
/// sharing no code with the deciders.
/// </summary>
public static class CertificateChecker
{
    public static bool Check(TuringMachine machine, BbCertificate certificate, out string reason)
    {
        switch (certificate)
        {
            case BbCertificate.Halts h:
                {
                    var c = new Config();
                    for (long t = 1; t <= h.Steps; t++)
                    {
                        var halted = c.Step(machine);
                        if (halted != (t == h.Steps))
                        {
                            reason = halted ? $"halts early, at step {t}" : $"has not halted at step {t}";
                            return false;
                        }
                    }

                    var ones = c.Cells.Count(kv => kv.Value == 1);
                    reason = ones == h.Ones ? "halts as stated" : $"{ones} ones, not {h.Ones}";
                    return ones == h.Ones;
                }

            case BbCertificate.Cycler cy:
                {
                    if (cy.T1 < 0 || cy.T2 <= cy.T1)
                    {
                        reason = "T1 < T2 is required";
                        return false;
                    }

                    var c = new Config();
                    Config? first = null;
                    for (long t = 0; t < cy.T2; t++)
                    {
                        if (t == cy.T1)
                        {
                            first = c.Clone();
                        }

                        if (c.Step(machine))
                        {
                            reason = $"halts at step {t + 1}";
                            return false;
                        }
                    }

                    first ??= c.Clone();
                    var same = first.SameAs(c);
                    reason = same ? "configuration recurs" : "configurations differ";
                    return same;
                }

            case BbCertificate.TranslatedCycler tc:
                return CheckTranslated(machine, tc, out reason);

            case BbCertificate.Backward b:
                {
                    var c = new Config();
                    for (var t = 0; t <= b.Depth; t++)
                    {
                        if (c.Step(machine))
                        {
                            reason = $"halts at step {t + 1}, within the backward depth";
                            return false;
                        }
                    }

                    var dies = BackwardBreadthFirst(machine, b.Depth);
                    reason = dies ? "every backward derivation dies" : $"a backward derivation survives {b.Depth} steps";
                    return dies;
                }

            case BbCertificate.NGramCps cps:
                return CheckClosedPositionSet(machine, cps, out reason);

            case BbCertificate.RepWl words:
                return CheckRepeatedWordList(machine, words, out reason);

            default:
                reason = "unknown certificate";
                return false;
        }
    }

    private static bool CheckTranslated(TuringMachine machine, BbCertificate.TranslatedCycler tc, out string reason)
    {
        if (tc.T1 < 0 || tc.T2 <= tc.T1 || tc.Side is not (1 or -1))
        {
            reason = "T1 < T2 and side ±1 are required";
            return false;
        }

        var c = new Config();
        long extreme = 0; // farthest position on the side, visited so far
        Config? first = null;
        var back = 0L;
        for (long t = 0; t <= tc.T2; t++)
        {
            if (t == tc.T1)
            {
                if (c.Head * tc.Side <= extreme * tc.Side && t > 0)
                {
                    // Must have just reached a new record cell (at t = 0 only the origin is visited).
                    reason = $"step {t} is not a record on side {tc.Side}";
                    return false;
                }

                first = c.Clone();
                back = c.Head;
            }

            if (first is not null)
            {
                back = tc.Side > 0 ? Math.Min(back, c.Head) : Math.Max(back, c.Head);
            }

            if (t == tc.T2)
            {
                break;
            }

            extreme = tc.Side > 0 ? Math.Max(extreme, c.Head) : Math.Min(extreme, c.Head);
            if (c.Step(machine))
            {
                reason = $"halts at step {t + 1}";
                return false;
            }
        }

        if (first is null || c.Head * tc.Side <= extreme * tc.Side || c.State != first.State)
        {
            reason = "T2 is not a record in the same state";
            return false;
        }

        var shift = c.Head - first.Head;
        for (var p = Math.Min(back, first.Head); p <= Math.Max(back, first.Head); p++)
        {
            if (first.At(p) != c.At(p + shift))
            {
                reason = $"tapes differ at offset {p - first.Head}";
                return false;
            }
        }

        reason = "translated recurrence";
        return true;
    }

    /// <summary>
    /// An n-gram closed position set is sound when (1) the blank context and the blank grams are listed and (2) every listed
    /// context steps by a non-halting transition to listed contexts only, for every symbol the popped side may reveal
    /// (the last symbols of listed grams that extend what stays of that side), while the window that sinks on the other
    /// side is a listed gram. Then, by induction over the run, every configuration's context is listed and every window
    /// deeper in each half-tape is a listed gram, so no configuration halts. The run is that of the augmented machine
    /// (recomputed here from the symbol texts), which moves and halts exactly like the machine itself.
    /// </summary>
    private static bool CheckClosedPositionSet(TuringMachine machine, BbCertificate.NGramCps cps, out string reason)
    {
        if (cps.Left < 1 || cps.Right < 1 || cps.Left > 64 || cps.Right > 64 || (cps.Augmentation == CpsAugmentation.History && cps.History < 1))
        {
            reason = "radii must be 1 to 64 and a history at least 1 long";
            return false;
        }

        var sides = new Dictionary<int, HashSet<string>>();
        var gramLists = new Dictionary<int, List<string[]>>();
        foreach (var (side, grams, length) in new[] { (-1, cps.LeftGrams, cps.Left), (1, cps.RightGrams, cps.Right) })
        {
            sides[side] = new HashSet<string>(StringComparer.Ordinal);
            gramLists[side] = new List<string[]>();
            foreach (var gram in grams)
            {
                var symbols = gram.Split(',');
                if (symbols.Length != length || !symbols.All(x => ValidSymbol(machine, cps, x)))
                {
                    reason = $"malformed gram '{gram}'";
                    return false;
                }

                sides[side].Add(string.Join(",", symbols));
                gramLists[side].Add(symbols);
            }
        }

        var blankLeft = string.Join(",", Enumerable.Repeat("0", cps.Left));
        var blankRight = string.Join(",", Enumerable.Repeat("0", cps.Right));
        var listed = new HashSet<string>(cps.Contexts, StringComparer.Ordinal);
        if (!sides[-1].Contains(blankLeft) || !sides[1].Contains(blankRight) || !listed.Contains($"A|{blankLeft}|0|{blankRight}"))
        {
            reason = "the blank tape (context and grams) is not in the set";
            return false;
        }

        foreach (var context in cps.Contexts)
        {
            var parts = context.Split('|');
            if (parts.Length != 4 || parts[0].Length != 1 || parts[0][0] < 'A' || parts[0][0] >= 'A' + machine.States)
            {
                reason = $"malformed context '{context}'";
                return false;
            }

            var state = parts[0][0] - 'A';
            var left = parts[1].Split(',');
            var head = parts[2];
            var right = parts[3].Split(',');
            if (left.Length != cps.Left || right.Length != cps.Right || !left.Append(head).Concat(right).All(x => ValidSymbol(machine, cps, x)))
            {
                reason = $"malformed context '{context}'";
                return false;
            }

            var t = machine[state, head[0] - '0'];
            if (t is null || t.Value.Next == TuringMachine.Halt)
            {
                reason = $"context '{context}' halts";
                return false;
            }

            var written = WrittenSymbol(cps, parts[0][0], head, t.Value.Write);
            var next = (char)('A' + t.Value.Next);

            // The side the head leaves gains the written symbol and its farthest window sinks; the other side is popped.
            var (sinking, popped, poppedSide) = t.Value.Move > 0 ? (left, right, 1) : (right, left, -1);
            if (!sides[-poppedSide].Contains(string.Join(",", sinking)))
            {
                reason = $"context '{context}': the sinking window {string.Join(",", sinking)} is not a listed gram";
                return false;
            }

            var grown = new[] { written }.Concat(sinking.Take(sinking.Length - 1)).ToArray();
            var rest = popped.Skip(1).ToArray();
            foreach (var gram in gramLists[poppedSide])
            {
                if (!gram.Take(gram.Length - 1).SequenceEqual(rest, StringComparer.Ordinal))
                {
                    continue;
                }

                var shrunk = rest.Append(gram[^1]).ToArray();
                var successor = poppedSide > 0
                    ? $"{next}|{string.Join(",", grown)}|{popped[0]}|{string.Join(",", shrunk)}"
                    : $"{next}|{string.Join(",", shrunk)}|{popped[0]}|{string.Join(",", grown)}";
                if (!listed.Contains(successor))
                {
                    reason = $"context '{context}' steps to '{successor}', which is not in the set";
                    return false;
                }
            }
        }

        reason = $"closed: {listed.Count} contexts, {sides[-1].Count} + {sides[1].Count} grams";
        return true;
    }

    /// <summary>
    /// A repeated-word-list set is sound when the blank configuration is listed and every macro step of every listed
    /// configuration leads, without halting, to listed configurations. A run <c>w^k</c> stands for exactly k copies of w,
    /// <c>w^k+</c> for k or more; popping <c>w^k+</c> leaves <c>w^(k-1)</c> or <c>w^k+</c>, and an empty stack is blank.
    /// Each macro step is at least one machine step, so the run never ends.
    /// </summary>
    private static bool CheckRepeatedWordList(TuringMachine machine, BbCertificate.RepWl words, out string reason)
    {
        var n = words.BlockLength;
        if (n is < 1 or > 16 || words.Threshold < 2)
        {
            reason = "block length 1 to 16 and threshold at least 2 are required";
            return false;
        }

        var listed = new HashSet<string>(words.Configurations, StringComparer.Ordinal);
        if (!listed.Contains("|AR|"))
        {
            reason = "the blank configuration |AR| is not in the set";
            return false;
        }

        // In-block configurations: states × head positions × block contents; more steps than that is a loop inside.
        var maxSteps = (long)machine.States * n * (1L << n);
        foreach (var text in words.Configurations)
        {
            var parts = text.Split('|');
            if (parts.Length != 3 || parts[1].Length != 2 || parts[1][0] < 'A' || parts[1][0] >= 'A' + machine.States || parts[1][1] is not ('R' or 'L')
                || ParseRuns(parts[0], n) is not { } behind || ParseRuns(parts[2], n) is not { } ahead)
            {
                reason = $"malformed configuration '{text}'";
                return false;
            }

            var facing = parts[1][1] == 'R' ? 1 : -1;

            // Every way to take the block ahead off its stack.
            var ways = new List<(string Block, List<(string Word, long Count, bool Plus)> Remaining)>();
            if (ahead.Count == 0)
            {
                ways.Add((new string('0', n), ahead));
            }
            else
            {
                var (word, count, plus) = ahead[0];
                var exact = ahead.Skip(1).ToList();
                if (count > 1)
                {
                    exact.Insert(0, (word, count - 1, false));
                }

                ways.Add((word, exact));
                if (plus)
                {
                    ways.Add((word, ahead));
                }
            }

            foreach (var (block, rest) in ways)
            {
                // Block-relative coordinates: cell 0 is the one the head enters, "forward" is the facing direction.
                var cells = block.Select(c => c - '0').ToArray();
                var at = 0;
                var state = parts[1][0] - 'A';
                long steps = 0;
                while (at >= 0 && at < n)
                {
                    var t = machine[state, cells[at]];
                    if (t is null || t.Value.Next == TuringMachine.Halt)
                    {
                        reason = $"configuration '{text}' halts inside block {block}";
                        return false;
                    }

                    if (++steps > maxSteps)
                    {
                        reason = $"configuration '{text}': the head never leaves block {block}";
                        return false;
                    }

                    cells[at] = t.Value.Write;
                    at += facing * t.Value.Move;
                    state = t.Value.Next;
                }

                string successor;
                var letter = (char)('A' + state);
                if (at == n)
                {
                    var pushed = string.Concat(cells.Reverse());
                    successor = $"{FormatRuns(PushRun(behind, pushed, words.Threshold))}|{letter}{parts[1][1]}|{FormatRuns(rest)}";
                }
                else
                {
                    var pushed = string.Concat(cells);
                    successor = $"{FormatRuns(PushRun(rest, pushed, words.Threshold))}|{letter}{(facing > 0 ? 'L' : 'R')}|{FormatRuns(behind)}";
                }

                if (!listed.Contains(successor))
                {
                    reason = $"configuration '{text}' steps to '{successor}', which is not in the set";
                    return false;
                }
            }
        }

        reason = $"closed: {listed.Count} configurations";
        return true;
    }

    private static List<(string Word, long Count, bool Plus)>? ParseRuns(string text, int length)
    {
        var runs = new List<(string, long, bool)>();
        if (text.Length == 0)
        {
            return runs;
        }

        foreach (var item in text.Split(','))
        {
            var caret = item.IndexOf('^', StringComparison.Ordinal);
            if (caret != length || item[..caret].Any(c => c is not ('0' or '1')))
            {
                return null;
            }

            var plus = item.EndsWith('+');
            var digits = item[(caret + 1)..(plus ? item.Length - 1 : item.Length)];
            if (!long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) || count < 1)
            {
                return null;
            }

            runs.Add((item[..caret], count, plus));
        }

        return runs;
    }

    private static List<(string Word, long Count, bool Plus)> PushRun(List<(string Word, long Count, bool Plus)> runs, string word, int threshold)
    {
        if (runs.Count == 0 && !word.Contains('1', StringComparison.Ordinal))
        {
            return runs;
        }

        var result = new List<(string Word, long Count, bool Plus)>(runs);
        if (result.Count > 0 && result[0].Word == word)
        {
            var count = result[0].Count + 1;
            result[0] = count >= threshold ? (word, threshold, true) : (word, count, result[0].Plus);
        }
        else
        {
            result.Insert(0, (word, 1, false));
        }

        return result;
    }

    private static string FormatRuns(List<(string Word, long Count, bool Plus)> runs) =>
        string.Join(",", runs.Select(r => r.Word + "^" + r.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + (r.Plus ? "+" : string.Empty)));

    /// <summary>A bit, then (state letter, bit) pairs: none for plain bits, at most History, or distinct pairs for LRU.</summary>
    private static bool ValidSymbol(TuringMachine machine, BbCertificate.NGramCps cps, string symbol)
    {
        if (symbol.Length % 2 != 1 || symbol[0] is not ('0' or '1'))
        {
            return false;
        }

        var pairs = new List<string>();
        for (var i = 1; i < symbol.Length; i += 2)
        {
            if (symbol[i] < 'A' || symbol[i] >= 'A' + machine.States || symbol[i + 1] is not ('0' or '1'))
            {
                return false;
            }

            pairs.Add(symbol.Substring(i, 2));
        }

        return cps.Augmentation switch
        {
            CpsAugmentation.None => pairs.Count == 0,
            CpsAugmentation.History => pairs.Count <= cps.History,
            _ => pairs.Distinct(StringComparer.Ordinal).Count() == pairs.Count,
        };
    }

    /// <summary>What the augmented machine writes in <paramref name="state"/> over <paramref name="read"/>.</summary>
    private static string WrittenSymbol(BbCertificate.NGramCps cps, char state, string read, byte bit)
    {
        var update = $"{state}{read[0]}";
        var older = Enumerable.Range(0, (read.Length - 1) / 2).Select(i => read.Substring(1 + (2 * i), 2));
        var history = cps.Augmentation switch
        {
            CpsAugmentation.None => Enumerable.Empty<string>(),
            CpsAugmentation.History => new[] { update }.Concat(older).Take(cps.History),
            _ => new[] { update }.Concat(older.Where(p => p != update)),
        };
        return bit.ToString(System.Globalization.CultureInfo.InvariantCulture) + string.Concat(history);
    }

    /// <summary>Breadth-first backward search over (state, head, known cells) from every halting transition.</summary>
    private static bool BackwardBreadthFirst(TuringMachine machine, int depth)
    {
        var level = new List<(int State, int Head, SortedDictionary<int, int> Known)>();
        for (var s = 0; s < machine.States; s++)
        {
            for (var r = 0; r <= 1; r++)
            {
                var t = machine[s, r];
                if (t is null || t.Value.Next == TuringMachine.Halt)
                {
                    level.Add((s, 0, new SortedDictionary<int, int> { [0] = r }));
                }
            }
        }

        for (var d = 0; d < depth && level.Count > 0; d++)
        {
            var previous = new List<(int, int, SortedDictionary<int, int>)>();
            foreach (var (state, head, known) in level)
            {
                for (var s = 0; s < machine.States; s++)
                {
                    for (var r = 0; r <= 1; r++)
                    {
                        var t = machine[s, r];
                        if (t is null || t.Value.Next != state)
                        {
                            continue;
                        }

                        var at = head - t.Value.Move;
                        if (known.TryGetValue(at, out var w) && w != t.Value.Write)
                        {
                            continue;
                        }

                        var copy = new SortedDictionary<int, int>(known) { [at] = r };
                        previous.Add((s, at, copy));
                    }
                }
            }

            if (previous.Count > 200_000)
            {
                return false;
            }

            level = previous;
        }

        return level.Count == 0;
    }

    private sealed class Config
    {
        public Dictionary<long, int> Cells { get; private init; } = new();

        public long Head { get; private set; }

        public int State { get; private set; }

        public int At(long p) => Cells.TryGetValue(p, out var v) ? v : 0;

        /// <summary>One step; true when this step halts.</summary>
        public bool Step(TuringMachine machine)
        {
            var t = machine[State, At(Head)];
            if (t is null)
            {
                return true;
            }

            Cells[Head] = t.Value.Write;
            if (t.Value.Next == TuringMachine.Halt)
            {
                return true;
            }

            Head += t.Value.Move;
            State = t.Value.Next;
            return false;
        }

        public Config Clone() => new() { Cells = new Dictionary<long, int>(Cells), Head = Head, State = State };

        public bool SameAs(Config other) =>
            State == other.State && Head == other.Head
            && Cells.Where(kv => kv.Value != 0).All(kv => other.At(kv.Key) == kv.Value)
            && other.Cells.Where(kv => kv.Value != 0).All(kv => At(kv.Key) == kv.Value);
    }
}
