using System.Globalization;
using Microsoft.SemanticKernel;

namespace ProofAgent.Agent.AgentMode;

/// <summary>
/// Semantic Kernel filters of agent mode. Before a tool runs: the request's budget (wall clock, prover calls, tool
/// calls); a spent budget answers the model without running the tool and ends the function-calling loop. After: one
/// <see cref="ProofEvent.ToolCalled"/> per call, the same event stream the pipeline emits (SSE in the service); and the
/// loop ends as soon as a proof was accepted.
/// </summary>
public sealed class BudgetAndTraceFilter(AttemptContext context, ProverTools tools) : IFunctionInvocationFilter, IAutoFunctionInvocationFilter
{
    private const int MaxShown = 600;

    public async Task OnFunctionInvocationAsync(FunctionInvocationContext invocation, Func<FunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(next);
        var arguments = invocation.Arguments
            .Where(a => a.Key is not "cancellationToken")
            .ToDictionary(a => a.Key, a => Shorten(Convert.ToString(a.Value, CultureInfo.InvariantCulture) ?? ""), StringComparer.Ordinal);
        var started = context.NowMs;
        string answer;
        if (context.Exhausted || context.ToolCalls >= context.Budget.MaxToolCalls)
        {
            answer = $"budget spent ({context.ProverCalls} prover calls, {context.ToolCalls} tool calls, {context.Elapsed.TotalSeconds:0} s): stop and give your final answer";
            invocation.Result = new FunctionResult(invocation.Function, answer);
        }
        else
        {
            context.CountToolCall();
            await next(invocation);
            answer = Convert.ToString(invocation.Result.GetValue<object>(), CultureInfo.InvariantCulture) ?? "";
        }

        context.Emit(new ProofEvent.ToolCalled(context.NowMs, invocation.Function.Name, arguments, Shorten(answer), context.NowMs - started));
    }

    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext invocation, Func<AutoFunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(next);
        await next(invocation);
        if (tools.Accepted is not null || context.Exhausted || context.ToolCalls >= context.Budget.MaxToolCalls)
        {
            invocation.Terminate = true;
        }
    }

    private static string Shorten(string text) => text.Length > MaxShown ? text[..MaxShown] + "…" : text;
}
