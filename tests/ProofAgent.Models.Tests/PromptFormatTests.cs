namespace ProofAgent.Models.Tests;

public sealed class PromptFormatTests
{
    private const string Statement = "theorem mathd_algebra_10 : abs ((120 : ℝ) / 100 * 30 - 130 / 100 * 20) = 10 := by\n  sorry";

    private const string Plan =
        "Before producing the Lean 4 code to formally prove the given theorem, provide a detailed proof plan outlining the main proof steps and strategies.\n"
        + "The plan should highlight key ideas, intermediate lemmas, and proof structures that will guide the construction of the final formal proof.";

    [Fact]
    public void DeepSeek_Prover_V2_prompt_matches_the_model_card()
    {
        var prompt = PromptFormat.Get(PromptFormat.DeepSeekProverV2Id).ProofPrompt(new StatementPrompt(Statement)).Text;

        Assert.Equal($"<｜User｜>Complete the following Lean 4 code:\n\n```lean4\n{Statement}\n```\n\n{Plan}<｜Assistant｜>", prompt);
    }

    [Fact]
    public void Goedel_Prover_V2_prompt_matches_the_model_card()
    {
        var prompt = PromptFormat.Get(PromptFormat.GoedelProverV2Id).ProofPrompt(new StatementPrompt(Statement)).Text;

        Assert.Equal($"<|im_start|>user\nComplete the following Lean 4 code:\n\n```lean4\n{Statement}```\n\n{Plan}<|im_end|>\n<|im_start|>assistant\n", prompt);
    }

    [Fact]
    public void Kimina_Prover_prompt_matches_the_model_card()
    {
        var prompt = PromptFormat.Get(PromptFormat.KiminaProverId).ProofPrompt(new StatementPrompt(Statement, "What is |1.2*30 - 1.3*20|?")).Text;

        Assert.Equal(
            "<|im_start|>system\nYou are an expert in mathematics and Lean 4.<|im_end|>\n"
            + "<|im_start|>user\nThink about and solve the following problem step by step in Lean 4.\n# Problem:What is |1.2*30 - 1.3*20|?\n"
            + $"# Formal statement:\n```lean4\n{Statement}\n```\n<|im_end|>\n<|im_start|>assistant\n",
            prompt);
    }

    [Fact]
    public void Tactic_step_prompt_is_goal_then_proofstep()
    {
        var format = PromptFormat.Get(PromptFormat.TacticStepId);

        Assert.Equal("[GOAL]x : ℕ\n⊢ x + 0 = x[PROOFSTEP]", format.TacticPrompt("x : ℕ\n⊢ x + 0 = x\n"));
        Assert.Equal(["[GOAL]", "\n"], format.StopSequences);
        Assert.Throws<ModelException>(() => format.ProofPrompt(new StatementPrompt(Statement)));
    }

    [Fact]
    public void Unknown_formats_are_configuration_errors()
    {
        var error = Assert.Throws<ModelException>(() => PromptFormat.Get("gpt-f"));

        Assert.Equal(ModelErrorKind.Configuration, error.Kind);
        Assert.Contains("deepseek-prover-v2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_proof_is_the_last_lean_block_after_the_reasoning()
    {
        var completion = "<think>try ```lean4\nwrong := by simp\n``` first</think>\nPlan: norm_num.\n```lean4\n" + Statement.Replace("sorry", "norm_num [abs_of_nonneg]", StringComparison.Ordinal)
            + "\n```\nAnd a python check:\n```python\nprint(10)\n```";

        var proof = ProofExtractor.ExtractProof(completion, TargetLanguage.Lean4);

        Assert.True(proof.Found);
        Assert.Equal(Statement.Replace("sorry", "norm_num [abs_of_nonneg]", StringComparison.Ordinal), proof.Text);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("<think>still thinking ```lean4\ntheorem", "all reasoning")]
    [InlineData("Here is the proof:\n```lean4\ntheorem t : True := by\n  trivi", "unclosed code block")]
    [InlineData("I cannot prove this.", "no fenced code block")]
    public void No_proof_is_extracted_from_incomplete_completions(string completion, string reason)
    {
        var proof = ProofExtractor.ExtractProof(completion, TargetLanguage.Lean4);

        Assert.False(proof.Found);
        Assert.Contains(reason, proof.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(" simp [Nat.add_zero]\n[GOAL]...", "simp [Nat.add_zero]")]
    [InlineData("[PROOFSTEP]omega", "omega")]
    [InlineData("<think>maybe ring?</think>\n```lean4\nnlinarith [sq_nonneg x]\nexact h\n```", "nlinarith [sq_nonneg x]")]
    public void The_tactic_is_the_first_line(string completion, string tactic)
    {
        Assert.Equal(tactic, ProofExtractor.ExtractTactic(completion).Text);
    }

    [Fact]
    public void An_empty_tactic_is_not_extracted()
    {
        Assert.False(ProofExtractor.ExtractTactic("  \n[GOAL] x").Found);
    }
}
