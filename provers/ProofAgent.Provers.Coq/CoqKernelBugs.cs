namespace ProofAgent.Provers.Coq;

/// <summary>A kernel feature that a known, unfixed soundness bug of a Coq version makes unsafe to trust from a submitter.</summary>
public enum KernelFeature
{
    /// <summary><c>fix</c>/<c>cofix</c> in the submitter's own terms: the guard checker accepts some non-terminating fixpoints.</summary>
    Recursion,

    /// <summary>Functors, module application, module type ascription and <c>Declare Module</c>: module strengthening and subtyping bugs.</summary>
    Modules,

    /// <summary>Let-ins in the constructor types of inductive types (and manifest record fields): conversion and variance bugs.</summary>
    ConstructorLetIns,

    /// <summary>Cumulative inductive types: variance inference bugs.</summary>
    Cumulativity,

    /// <summary><c>Set Definitional UIP</c>: conversion of irrelevant-to-relevant matches.</summary>
    DefinitionalUip,

    /// <summary>Primitive integers, floats and arrays: VM and module subtyping bugs; never trusted on affected versions.</summary>
    Primitives,

    /// <summary>Conversion by the bytecode VM (<c>vm_compute</c>, <c>vm_cast</c>): <c>coqchk</c> has no VM and re-checks without it.</summary>
    VirtualMachine,
}

/// <summary>
/// One known soundness bug of the Coq kernel (from Coq's <c>dev/doc/critical-bugs.md</c>): the versions it affects, whether
/// <c>coqchk</c> shares it (if not, the <c>coqchk</c> re-check catches it), and the feature an exploit needs.
/// </summary>
public sealed record KernelBug(string Issue, string Title, KernelFeature Feature, Version IntroducedIn, Version? FixedIn, bool CoqchkShares)
{
    /// <summary>True when <paramref name="coq"/> has this bug (introduced at or before it, not yet fixed).</summary>
    public bool Affects(Version coq) => coq >= IntroducedIn && (FixedIn is null || coq < FixedIn);

    /// <summary>"rocq#20413 (fixed in 9.0.1)".</summary>
    public string Reference => $"rocq#{Issue} ({(FixedIn is null ? "not fixed yet" : $"fixed in {FixedIn}")})";
}

/// <summary>
/// The table of known kernel soundness bugs per Coq version. A feature is untrusted on a version when a bug that both
/// kernels share (<c>coqc</c> and <c>coqchk</c>) affects it: the gate then rejects a candidate that uses the feature,
/// unless the operator opted in. Bugs that only <c>coqc</c> has are listed too: the <c>coqchk</c> re-check covers them.
/// </summary>
public static class CoqKernelBugs
{
    private static readonly Version Forever = new(0, 0);

    public static IReadOnlyList<KernelBug> All { get; } =
    [
        // Guard checking (fix / cofix)
        new("20413", "guard checker forgot to check non-structural arguments of fixpoints", KernelFeature.Recursion, V("8.16"), V("9.0.1"), true),
        new("20455", "guard checker takes a match on a match for a subterm (a let-bound local function hides a recursive call)", KernelFeature.Recursion, V("8.16"), V("9.0.1"), true),
        new("20555", "guard checker reduces across an inner fixpoint", KernelFeature.Recursion, V("8.16"), V("9.0.1"), true),
        new("21839", "guard checker reduces in the wrong context (anonymous fix through a function built by ltac)", KernelFeature.Recursion, V("8.16"), V("9.3"), true),
        new("21682", "guard checker ignores cross calls when computing uniform arguments of nested mutual fixpoints", KernelFeature.Recursion, V("8.20"), V("9.2.0"), true),
        new("21797", "guard checker does not check arguments of recursive calls in the uniformity analysis", KernelFeature.Recursion, V("8.20"), V("9.2.0"), true),
        new("22021", "guard checker forgets lambda domains in nested fixpoints", KernelFeature.Recursion, V("8.20"), V("9.2.1"), true),
        new("22389", "cofixpoint guard checker passes the wrong tree for nested mutual cofixpoints", KernelFeature.Recursion, Forever, V("9.2.1"), true),
        new("21053", "guard condition inconsistent with propositional extensionality", KernelFeature.Recursion, Forever, V("9.0.1"), true),

        // Modules
        new("21051", "missing substitution when strengthening functors", KernelFeature.Modules, V("8.5"), V("9.0.1"), true),
        new("21685", "missing substitution when strengthening aliased functors", KernelFeature.Modules, V("8.5"), V("9.2.0"), true),
        new("22387", "incorrect module subtyping of inductives with let-ins in constructor types", KernelFeature.Modules, V("8.14"), V("9.2.0"), true),
        new("21702", "incorrect subtyping rule for universe polymorphic \"with Definition\"", KernelFeature.Modules, V("8.5"), V("9.2.0"), false),
        new("12155", "Print Assumptions misses unsafe flags through Parameter Inline", KernelFeature.Modules, V("8.6"), null, false),
        new("16646", "Print Assumptions misses Unset Universe Checking during functor application", KernelFeature.Modules, V("8.11"), null, false),
        new("22366", "Print Assumptions misses Unset Guard Checking during functor application", KernelFeature.Modules, V("8.11"), null, false),

        // Let-ins in constructor types, cumulativity, SProp
        new("22378", "conversion under contexts is done in the wrong environment", KernelFeature.ConstructorLetIns, V("8.14"), V("9.2.1"), true),
        new("22385", "incorrect variance inference with let-ins in constructor types", KernelFeature.ConstructorLetIns, V("8.6"), V("9.2.1"), true),
        new("21689", "double universe substitution in let-ins from indices in match return clauses", KernelFeature.ConstructorLetIns, V("8.14"), V("9.2"), true),
        new("22376", "variance inference ignores stuck irrelevant-to-relevant matches", KernelFeature.Cumulativity, V("8.13"), V("9.2.1"), true),
        new("21690", "missing stack conversion for irrelevant-to-relevant matches", KernelFeature.DefinitionalUip, V("8.13"), V("9.2"), true),

        // Primitives and the VM
        new("18503", "primitives are considered convertible to anything by module subtyping", KernelFeature.Primitives, V("8.11"), V("8.19"), true),
        new("19402", "VM and native evaluation of primitive values", KernelFeature.Primitives, V("8.13"), null, false),
        new("16957", "tactic code could mutate the VM's cache of section variable values (change_no_check + vm_compute)", KernelFeature.VirtualMachine, V("8.1"), V("8.17.0"), false),
    ];

    /// <summary>The bugs that affect a version, in table order.</summary>
    public static IReadOnlyList<KernelBug> Affecting(Version coq) => [.. All.Where(b => b.Affects(coq))];

    /// <summary>The features that a bug shared by both kernels makes untrusted on <paramref name="coq"/>.</summary>
    public static IReadOnlySet<KernelFeature> UntrustedFeatures(Version coq) =>
        All.Where(b => b.CoqchkShares && b.Affects(coq)).Select(b => b.Feature).ToHashSet();

    /// <summary>The shared bugs that make <paramref name="feature"/> untrusted on <paramref name="coq"/>, for the reason of a rejection.</summary>
    public static string Explain(KernelFeature feature, Version coq) =>
        string.Join(", ", All.Where(b => b.Feature == feature && b.CoqchkShares && b.Affects(coq)).Select(b => b.Reference));

    /// <summary>Parses "8.16.1" (the probe's version string); null when it is not a version.</summary>
    public static Version? ParseVersion(string text) => Version.TryParse(text, out var version) ? version : null;

    private static Version V(string text) => Version.Parse(text.Contains('.', StringComparison.Ordinal) ? text : text + ".0");
}
