namespace ProofAgent.BusyBeaver;

/// <summary>Evidence for a verdict, re-verified by <see cref="CertificateChecker"/>. Closed hierarchy.</summary>
public abstract record BbCertificate
{
    private BbCertificate()
    {
    }

    public abstract string Kind { get; }

    /// <summary>The machine halts at step <see cref="Steps"/> (the halting transition included) with <see cref="Ones"/> ones.</summary>
    public sealed record Halts(long Steps, long Ones) : BbCertificate
    {
        public override string Kind => "halts";
    }

    /// <summary>The configuration after <see cref="T1"/> steps recurs after <see cref="T2"/> steps (T1 &lt; T2), and no halt comes before.</summary>
    public sealed record Cycler(long T1, long T2) : BbCertificate
    {
        public override string Kind => "cycler";
    }

    /// <summary>
    /// At steps T1 &lt; T2 the head stands on a new record cell on <see cref="Side"/> (+1 right, -1 left) in the same state,
    /// and the tape between the farthest point the head reached back during [T1, T2] and the head agrees at both times.
    /// </summary>
    public sealed record TranslatedCycler(long T1, long T2, int Side) : BbCertificate
    {
        public override string Kind => "translated-cycler";
    }

    /// <summary>
    /// Every backward derivation from a halting transition dies within <see cref="Depth"/> steps, and the machine does not
    /// halt within Depth + 1 steps from the blank tape: so it never halts.
    /// </summary>
    public sealed record Backward(int Depth) : BbCertificate
    {
        public override string Kind => "backward-reasoning";
    }

    /// <summary>
    /// An n-gram closed position set (see <see cref="NGramCpsDecider"/>). Symbols are written as text: the bit, then
    /// for augmented alphabets the (state letter, read bit) history pairs, newest first (<c>1A0B1</c>); the blank is
    /// <c>0</c>. A context is <c>state|left|head|right</c> with the side symbols comma-separated, nearest the head first;
    /// a gram lists its symbols the same way. The checker re-verifies that the blank context and the blank grams are in
    /// the sets and that every context steps, without halting, only to contexts in the set while pushing only listed grams.
    /// </summary>
    public sealed record NGramCps(
        CpsAugmentation Augmentation,
        int History,
        int Left,
        int Right,
        IReadOnlyList<string> Contexts,
        IReadOnlyList<string> LeftGrams,
        IReadOnlyList<string> RightGrams) : BbCertificate
    {
        public override string Kind => "ngram-cps";

        /// <summary>The decider name this certificate counts under.</summary>
        public string Decider => Augmentation switch
        {
            CpsAugmentation.History => "ngram-cps-history",
            CpsAugmentation.Lru => "ngram-cps-lru",
            _ => "ngram-cps",
        };

        public override string ToString() =>
            $"{Kind} {{ Augmentation = {Augmentation}, History = {History}, Left = {Left}, Right = {Right}, Contexts = {Contexts.Count}, LeftGrams = {LeftGrams.Count}, RightGrams = {RightGrams.Count} }}";
    }

    /// <summary>
    /// A repeated-word-list closed set (see <see cref="RepWlDecider"/>). Each configuration is <c>behind|SD|ahead</c>: the
    /// state letter S and the facing direction D (R or L), the stacks of runs behind and ahead of the head, nearest first,
    /// each run <c>word^k</c> (exactly k copies) or <c>word^k+</c> (at least k), words written nearest the head first.
    /// The checker re-verifies that the blank configuration <c>|AR|</c> is listed and that every macro step of every
    /// listed configuration, for every way to pop the block ahead, stays in the set without halting.
    /// </summary>
    public sealed record RepWl(int BlockLength, int Threshold, IReadOnlyList<string> Configurations) : BbCertificate
    {
        public override string Kind => "repwl";

        public override string ToString() => $"{Kind} {{ BlockLength = {BlockLength}, Threshold = {Threshold}, Configurations = {Configurations.Count} }}";
    }
}
