namespace ProofAgent.Provers.Coq;

/// <summary>
/// Combines the audit (coqc's kernel) and the <c>coqchk</c> re-check into one verdict: <c>proved</c> only when both
/// kernels accept, their axiom reports agree, and nothing of the submitter's uses an untrusted feature.
/// </summary>
internal static class CoqVerdicts
{
    public const string Compiler = "coqc";

    public const string Checker = "coqchk";

    /// <param name="recursionVersion">The Coq version when recursion is untrusted on it (the reason names it); null when trusted.</param>
    public static Verdict Combine(CoqAuditOutcome audit, CoqchkOutcome kernel, CoqScan scan, CoqScan? statementScan, string? recursionVersion)
    {
        var relevant = statementScan is null
            ? audit.Theorems
            : audit.Theorems.Where(t => statementScan.Theorems.Any(s => s.QualifiedSuffix == t.Theorem.QualifiedSuffix)).ToList();
        var violations = new List<string>();
        if (audit.Verdict is Verdict.Unsound unsound)
        {
            violations.AddRange(unsound.Violations);
        }

        violations.AddRange(relevant.Select(t => t.Report.Verdict).OfType<Verdict.Unsound>().SelectMany(u => u.Violations));
        violations.AddRange(relevant.SelectMany(t => RecursionViolations(t, recursionVersion)));
        var holes = new List<string>();
        switch (kernel)
        {
            case CoqchkOutcome.Rejected rejected:
                violations.Add($"coqchk (Coq's independent checker) rejects the compiled proof: {rejected.Message}");
                break;
            case CoqchkOutcome.Accepted accepted:
                violations.AddRange(accepted.UnsafeReasons);
                var admitted = scan.Theorems.Where(t => t.Ending == "Admitted").Select(t => $"Job.Candidate.{t.QualifiedSuffix}").ToHashSet(StringComparer.Ordinal);
                foreach (var axiom in accepted.Axioms.Where(IsOwn).Where(a => !admitted.Contains(a)))
                {
                    // An axiom of the submitter's that is not an admitted theorem: an escape hatch the scan did not see.
                    // With a statement it only matters if a stated theorem uses it, which the audit reports.
                    if (statementScan is not null)
                    {
                        continue;
                    }

                    (scan.Holes.Any() ? holes : violations).Add($"coqchk reports the axiom {axiom}, declared by the proof");
                }

                break;
        }

        var verdicts = violations.Distinct(StringComparer.Ordinal).ToList();
        if (verdicts.Count > 0)
        {
            return new Verdict.Unsound(verdicts);
        }

        if (audit.Verdict is { } decided)
        {
            return decided;
        }

        switch (kernel)
        {
            case CoqchkOutcome.Missing missing:
                return new Verdict.Unavailable("coqchk", missing.Reason, "install Coq with `apt-get install coq` (coqchk ships with it); a Coq proof is accepted only when coqchk agrees");
            case CoqchkOutcome.TimedOut timedOut:
                return new Verdict.Timeout(timedOut.Limit);
        }

        var notDefined = statementScan is null ? [] : audit.Missing.Where(m => statementScan.Theorems.Any(s => s.QualifiedSuffix == m)).ToList();
        if (notDefined.Count > 0)
        {
            return new Verdict.Unsound([.. notDefined.Select(m => $"theorem '{m}' of the statement is not defined by the proof")]);
        }

        if (kernel is CoqchkOutcome.Accepted agreed)
        {
            // The two kernels must tell the same story about what the proofs rest on.
            var known = agreed.Axioms.ToHashSet(StringComparer.Ordinal);
            var unconfirmed = relevant.SelectMany(t => t.Report.Axioms).Where(a => !known.Contains(a)).Distinct(StringComparer.Ordinal).ToList();
            if (unconfirmed.Count > 0)
            {
                return new Verdict.Error($"coqc's audit and coqchk disagree: coqchk does not list the axiom(s) {string.Join(", ", unconfirmed)}");
            }
        }

        holes.AddRange(relevant.Select(t => t.Report.Verdict).OfType<Verdict.Incomplete>().SelectMany(i => i.Holes));
        if (statementScan is null)
        {
            holes.AddRange(scan.Holes.Select(h => $"line {h.Line}: {h.Message}"));
        }

        var distinct = holes.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count > 0 ? new Verdict.Incomplete(distinct) : Verdict.Proved.Instance;
    }

    /// <summary>One theorem's report with the second checker and the recursion gate folded in.</summary>
    public static TheoremReport Report(CoqTheoremAudit theorem, CoqchkOutcome kernel, string? recursionVersion)
    {
        var report = theorem.Report;
        var violations = new List<string>(RecursionViolations(theorem, recursionVersion));
        if (kernel is CoqchkOutcome.Rejected rejected)
        {
            violations.Add($"coqchk rejects the compiled proof: {rejected.Message}");
        }
        else if (kernel is CoqchkOutcome.Accepted { UnsafeReasons.Count: > 0 } unsafeKernel)
        {
            violations.AddRange(unsafeKernel.UnsafeReasons);
        }

        var verdict = violations.Count == 0 ? report.Verdict
            : report.Verdict is Verdict.Unsound u ? new Verdict.Unsound([.. u.Violations, .. violations])
            : new Verdict.Unsound(violations);
        var checkedBy = verdict is not Verdict.Proved ? Array.Empty<string>()
            : kernel is CoqchkOutcome.Accepted ? [Compiler, Checker]
            : [Compiler];
        return report with { Verdict = verdict, CheckedBy = checkedBy };
    }

    private static IEnumerable<string> RecursionViolations(CoqTheoremAudit theorem, string? version)
    {
        if (version is null || theorem.OwnRecursive.Count == 0)
        {
            yield break;
        }

        var parsed = CoqKernelBugs.ParseVersion(version);
        var bugs = parsed is null ? "known guard-checker bugs" : CoqKernelBugs.Explain(KernelFeature.Recursion, parsed);
        yield return $"'{theorem.Theorem.QualifiedSuffix}' relies on recursion (fix/cofix) defined in the submitted text ({string.Join(", ", theorem.OwnRecursive)}); " +
            $"the guard checker of Coq {version} (and coqchk) has known soundness bugs: {bugs}. Pass --trust-recursion to accept it";
    }

    private static bool IsOwn(string axiom) =>
        axiom.StartsWith("Job.Candidate.", StringComparison.Ordinal) || axiom.StartsWith(CoqSharedHeader.Library + ".", StringComparison.Ordinal);
}
