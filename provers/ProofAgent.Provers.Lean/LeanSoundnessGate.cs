namespace ProofAgent.Provers.Lean;

/// <summary>What the gate decided before running Lean: either a verdict already, or the file to check.</summary>
internal sealed record LeanGatePlan(LeanAssembly? Assembly, Verdict? Early, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>The outcome of the gate after Lean ran.</summary>
internal sealed record LeanGateOutcome(Verdict Verdict, IReadOnlyList<TheoremReport> Theorems, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>
/// Lean's soundness gate. Before Lean runs: a static scan rejects escape hatches, and with a requested statement the service
/// assembles the file itself (the statement's header, context and signature; the candidate's auxiliary declarations and proof).
/// After Lean runs: any error, any sorry, a theorem whose type is not (kernel-)definitionally the requested one, a missing
/// theorem, or an axiom outside the allow-list rejects the proof. Only then is the verdict <see cref="Verdict.Proved"/>.
/// </summary>
internal static class LeanSoundnessGate
{
    private const string ConflictMarker = "<conflicting audit answers>";

    public static LeanGatePlan Prepare(ProofTask task, LeanOptions options, string nonce)
    {
        var candidate = task.Source.Replace("\r\n", "\n", StringComparison.Ordinal);
        var statementMode = task.ExpectedStatement is not null;
        var scan = LeanSourceScan.Scan(candidate, statementMode, options.AllowNativeDecide);
        if (scan.Violations.Count > 0 && options.StaticScan)
        {
            return Early(new Verdict.Unsound([.. scan.Violations.Select(Describe)]), scan.Violations);
        }

        if (scan.Holes.Count > 0 && options.StaticScan)
        {
            return Early(new Verdict.Incomplete([.. scan.Holes.Select(Describe)]), scan.Holes);
        }

        var assembly = new LeanAssembly(candidate, task.ExpectedStatement?.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (assembly.Statement is not { } statement)
        {
            var theorems = scan.Theorems.Select(t => t.FullName).Distinct(StringComparer.Ordinal).ToList();
            if (theorems.Count == 0)
            {
                return Early(new Verdict.Failed("the file declares no theorem or lemma: nothing is proved"), []);
            }

            assembly.AppendHeader(scan.Header, LeanOrigin.Candidate, 0);
            assembly.Append(candidate[scan.HeaderEnd..], LeanOrigin.Candidate, scan.HeaderEnd);
            foreach (var theorem in theorems)
            {
                assembly.Theorems.Add(theorem);
                assembly.AppendAudit($"#print axioms _root_.{theorem}", LeanAuditKind.Axioms, theorem);
            }

            return new LeanGatePlan(assembly, null, []);
        }

        var expected = LeanSourceScan.Scan(statement, statementMode: false, options.AllowNativeDecide);
        if (expected.Violations.Count > 0)
        {
            return Early(new Verdict.Error($"the statement itself uses an escape hatch: {Describe(expected.Violations[0])}"), []);
        }

        if (expected.Theorems.Count != 1)
        {
            return Early(new Verdict.Error($"the statement must declare exactly one theorem, it declares {expected.Theorems.Count}"), []);
        }

        var target = expected.Theorems[0];
        var extraImports = scan.Imports.Where(i => !expected.Imports.Contains(i, StringComparer.Ordinal)).ToList();
        if (extraImports.Count > 0)
        {
            return Early(new Verdict.Unsound([$"the proof imports modules the statement does not: {string.Join(", ", extraImports)}"]), []);
        }

        var declaration = scan.Theorems.FirstOrDefault(t => string.Equals(t.FullName, target.FullName, StringComparison.Ordinal));
        if (declaration is null)
        {
            return Early(new Verdict.Unsound([$"the proof does not declare theorem '{target.FullName}' of the statement"]), []);
        }

        if (scan.Theorems.Count(t => string.Equals(t.FullName, target.FullName, StringComparison.Ordinal)) > 1)
        {
            return Early(new Verdict.Unsound([$"theorem '{target.FullName}' is declared more than once"]), []);
        }

        var expectedSignature = Normalize(target.Signature(statement));
        var actualSignature = Normalize(declaration.Signature(candidate));
        if (!string.Equals(expectedSignature, actualSignature, StringComparison.Ordinal))
        {
            return Early(
                new Verdict.Unsound([$"theorem '{target.FullName}' is stated differently from the requested statement: expected `{expectedSignature}`, got `{actualSignature}`"]),
                [new GateFinding(declaration.Line, declaration.Column, "the theorem's statement was changed", false)]);
        }

        if (declaration.AssignStart is not { } assign)
        {
            return Early(new Verdict.Failed($"theorem '{target.FullName}' has no `:=` proof"), []);
        }

        // Header and context come from the statement; the expected type is elaborated before any candidate text can change
        // notation, instances or name resolution, and the kernel later checks the proof against it.
        assembly.StatementTargetLine = target.Line;
        assembly.AppendHeader(expected.Header, LeanOrigin.Statement, 0);
        assembly.Append(statement[expected.HeaderEnd..target.KeywordStart], LeanOrigin.Statement, expected.HeaderEnd);
        var (binders, type) = SplitSignature(target.Signature(statement));
        var expectedType = binders.Length == 0 ? type : $"∀ {binders}, {type}";
        assembly.AppendAudit($"def _root_.pa_expected_{nonce} : Prop := {OneLine(expectedType)}", LeanAuditKind.ExpectedType, target.FullName);
        assembly.Append(candidate[scan.HeaderEnd..declaration.KeywordStart], LeanOrigin.Candidate, scan.HeaderEnd);
        var signatureEnd = target.AssignStart ?? target.End;
        assembly.Append(statement[target.KeywordStart..signatureEnd].TrimEnd() + " ", LeanOrigin.Statement, target.KeywordStart);
        assembly.Append(candidate[assign..], LeanOrigin.Candidate, assign);
        assembly.Theorems.Add(target.FullName);
        assembly.AppendAudit($"theorem _root_.pa_check_{nonce} : _root_.pa_expected_{nonce} := @_root_.{target.FullName}", LeanAuditKind.TypeCheck, target.FullName);
        assembly.AppendAudit($"#print axioms _root_.{target.FullName}", LeanAuditKind.Axioms, target.FullName);
        return new LeanGatePlan(assembly, null, []);
    }

    public static LeanGateOutcome Evaluate(LeanAssembly assembly, IReadOnlyList<LeanMessage> messages, int sorryCount, LeanOptions options)
    {
        var audits = assembly.Audits.ToDictionary(a => a.Line);
        var diagnostics = new List<Diagnostic>();
        var statementErrors = new List<string>();
        var typeErrors = new List<string>();
        var missing = new List<string>();
        var candidateErrors = new List<Diagnostic>();
        var sorryWarnings = new List<Diagnostic>();
        var answers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            audits.TryGetValue(message.Pos.Line, out var audit);
            if (audit is { Kind: LeanAuditKind.Axioms } && message.Severity == DiagnosticSeverity.Information &&
                LeanText.ParsePrintAxioms(message.Data) is { } answer && SameConstant(answer.Constant, audit.Theorem))
            {
                // Two answers on one audit line mean something else spoke there: trust neither.
                answers[audit.Theorem] = answers.TryGetValue(audit.Theorem, out var earlier) ? [.. earlier, .. answer.Axioms, ConflictMarker] : answer.Axioms;
                continue;
            }

            var diagnostic = assembly.ToDiagnostic(message);
            diagnostics.Add(diagnostic);
            if (message.IsSorryWarning)
            {
                sorryWarnings.Add(diagnostic);
            }

            if (!message.IsError)
            {
                continue;
            }

            switch (audit?.Kind)
            {
                case LeanAuditKind.ExpectedType:
                    statementErrors.Add(FirstLine(message.Data));
                    break;
                case LeanAuditKind.TypeCheck:
                    typeErrors.Add($"theorem '{audit.Theorem}' does not have the requested type: {FirstLine(message.Data)}");
                    break;
                case LeanAuditKind.Axioms:
                    missing.Add($"theorem '{audit.Theorem}' is not in the environment after checking: {FirstLine(message.Data)}");
                    break;
                default:
                    if (assembly.Map(message.Pos) is { Origin: LeanOrigin.Statement } origin && origin.Line < assembly.StatementTargetLine)
                    {
                        statementErrors.Add(FirstLine(message.Data));
                    }
                    else
                    {
                        candidateErrors.Add(diagnostic);
                    }

                    break;
            }
        }

        var reports = new List<TheoremReport>();
        var holes = sorryWarnings.Select(d => d.Line > 0 ? $"line {d.Line}: {d.Message}" : d.Message).ToList();
        if (sorryCount > 0 && holes.Count == 0)
        {
            holes.Add($"{sorryCount} sorry hole(s) reported by the REPL");
        }

        var violations = new List<string>();
        var unanswered = new List<string>();
        var allowed = options.AllowedAxioms.ToHashSet(StringComparer.Ordinal);
        foreach (var theorem in assembly.Theorems)
        {
            if (!answers.TryGetValue(theorem, out var axioms))
            {
                unanswered.Add(theorem);
                reports.Add(new TheoremReport(theorem, new Verdict.Error("no axiom audit answer"), []));
                continue;
            }

            var own = new List<string>();
            var ownHoles = new List<string>();
            foreach (var axiom in axioms.Where(a => !allowed.Contains(a)).Distinct(StringComparer.Ordinal))
            {
                if (axiom == ConflictMarker)
                {
                    own.Add($"theorem '{theorem}' got more than one axiom audit answer");
                }
                else if (axiom == "sorryAx")
                {
                    ownHoles.Add($"theorem '{theorem}' depends on sorryAx");
                }
                else
                {
                    own.Add($"theorem '{theorem}' depends on axiom {axiom}, which is not allowed");
                }
            }

            violations.AddRange(own);
            holes.AddRange(ownHoles);
            Verdict verdict = own.Count > 0 ? new Verdict.Unsound(own) : ownHoles.Count > 0 ? new Verdict.Incomplete(ownHoles) : Verdict.Proved.Instance;
            reports.Add(new TheoremReport(theorem, verdict, axioms));
        }

        Verdict result;
        if (statementErrors.Count > 0)
        {
            result = new Verdict.Error($"the statement does not elaborate: {statementErrors[0]}");
        }
        else if (typeErrors.Count > 0)
        {
            result = new Verdict.Unsound(typeErrors);
        }
        else if (candidateErrors.Count > 0)
        {
            var first = candidateErrors[0];
            result = new Verdict.Failed(first.Line > 0 ? $"line {first.Line}: {FirstLine(first.Message)}" : FirstLine(first.Message));
        }
        else if (missing.Count > 0)
        {
            result = new Verdict.Unsound(missing);
        }
        else if (holes.Count > 0)
        {
            result = new Verdict.Incomplete([.. holes.Distinct(StringComparer.Ordinal)]);
        }
        else if (violations.Count > 0)
        {
            result = new Verdict.Unsound(violations);
        }
        else if (unanswered.Count > 0)
        {
            result = new Verdict.Error($"the axiom audit gave no answer for {string.Join(", ", unanswered)}");
        }
        else
        {
            result = Verdict.Proved.Instance;
        }

        return new LeanGateOutcome(result, reports, diagnostics);
    }

    /// <summary>Token text without comments or layout, for comparing statements.</summary>
    internal static string Normalize(string text) => string.Join(' ', LeanSourceScan.Tokenize(text).Select(t => t.Text));

    /// <summary>Splits <c>binders : type</c> at the first colon outside brackets.</summary>
    internal static (string Binders, string Type) SplitSignature(string signature)
    {
        var depth = 0;
        foreach (var token in LeanSourceScan.Tokenize(signature))
        {
            if (token.Text is "(" or "[" or "{" or "⦃" or "⟨")
            {
                depth++;
            }
            else if (token.Text is ")" or "]" or "}" or "⦄" or "⟩")
            {
                depth--;
            }
            else if (depth == 0 && token.Text == ":")
            {
                return (signature[..token.Start].Trim(), signature[token.End..].Trim());
            }
        }

        return (string.Empty, signature.Trim());
    }

    /// <summary>The text on one line: comments dropped, line breaks become spaces, spacing within a line kept (<c>x.1</c> stays whole).</summary>
    internal static string OneLine(string text)
    {
        var tokens = LeanSourceScan.Tokenize(text);
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (i > 0)
            {
                var gap = text[tokens[i - 1].End..tokens[i].Start];
                builder.Append(gap.All(c => c is ' ' or '\t') ? gap : " ");
            }

            builder.Append(tokens[i].Text);
        }

        return builder.ToString();
    }

    private static bool SameConstant(string printed, string theorem) =>
        string.Equals(printed, theorem, StringComparison.Ordinal) || string.Equals(printed, "_root_." + theorem, StringComparison.Ordinal);

    private static LeanGatePlan Early(Verdict verdict, IReadOnlyList<GateFinding> findings) =>
        new(null, verdict, [.. findings.Select(f => new Diagnostic(f.IsHole ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, f.Line, f.Column, f.Message))]);

    private static string Describe(GateFinding finding) => finding.Line > 0 ? $"line {finding.Line}: {finding.Message}" : finding.Message;

    private static string FirstLine(string text)
    {
        var line = text.Split('\n')[0].Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
