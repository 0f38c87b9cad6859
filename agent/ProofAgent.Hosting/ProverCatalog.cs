using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProofAgent.Provers;
using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Smt;

namespace ProofAgent.Hosting;

/// <summary>
/// The checkers the service knows, one per language, built from <see cref="ProverSettings"/> by <see cref="ProverHost"/>.
/// Every checker shares the host's process runner, so every prover process goes through the same isolation and limits.
/// </summary>
public sealed class ProverCatalog
{
    private readonly Dictionary<ProofLanguage, IProofChecker> _checkers = [];

    public ProverCatalog(ProverSettings settings, IProcessRunner runner, ILoggerFactory? loggerFactory = null)
    {
        Settings = settings;
        Runner = runner;
        var loggers = loggerFactory ?? NullLoggerFactory.Instance;
        Add(new CoqChecker(settings.Coq, runner, loggers.CreateLogger<CoqChecker>()));
        // SMT-LIB proofs need two independent solvers to agree (docs/SECURITY.md).
        Add(new SmtFileChecker([ProcessSmtSolver.Z3(runner, settings.Smt), ProcessSmtSolver.Cvc5(runner, settings.Smt)]));
        Add(new ProofAgent.Provers.Isabelle.IsabelleChecker(settings.Isabelle, runner, loggers.CreateLogger<ProofAgent.Provers.Isabelle.IsabelleChecker>()));
        Add(new ProofAgent.Provers.FStar.FStarChecker(settings.FStar, runner, loggers.CreateLogger<ProofAgent.Provers.FStar.FStarChecker>()));
        Add(new ProofAgent.Provers.Lean.LeanChecker(settings.Lean, runner, loggers.CreateLogger<ProofAgent.Provers.Lean.LeanChecker>()));
    }

    public ProverSettings Settings { get; }

    public IProcessRunner Runner { get; }

    /// <summary>The languages with a registered checker.</summary>
    public IReadOnlyCollection<ProofLanguage> Languages => _checkers.Keys;

    /// <summary>Registers (or replaces) the checker of a language.</summary>
    public void Add(IProofChecker checker) => _checkers[checker.Language] = checker;

    /// <summary>The checker for a language; languages without one get a checker that answers <c>unavailable</c>.</summary>
    public IProofChecker Checker(ProofLanguage language) =>
        _checkers.TryGetValue(language, out var checker) ? checker : new UnsupportedLanguageChecker(language);

    private sealed class UnsupportedLanguageChecker(ProofLanguage language) : IProofChecker
    {
        public ProofLanguage Language => language;

        public Task<ProverAvailability> ProbeAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<ProverAvailability>(Missing());

        public Task<CheckResult> CheckAsync(ProofTask task, CancellationToken cancellationToken = default) =>
            Task.FromResult(CheckResult.FromVerdict(Missing().ToVerdict(), ProverIdentity.Unknown(language.Id()), TimeSpan.Zero));

        private ProverAvailability.Missing Missing() =>
            new(language.Id(), "this build has no checker for the language", "see README.md, section Provers");
    }
}
