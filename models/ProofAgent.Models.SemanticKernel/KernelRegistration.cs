using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace ProofAgent.Models.SemanticKernel;

/// <summary>Registers registry models with Semantic Kernel: the model's <see cref="IChatClient"/> and its SK adapter.</summary>
public static class KernelRegistration
{
    /// <summary>
    /// Adds <paramref name="model"/> as <see cref="IChatClient"/> and as <see cref="IChatCompletionService"/>
    /// (through <c>AsChatCompletionService()</c>, over Semantic Kernel's function-invoking layer, so that
    /// <c>FunctionChoiceBehavior.Auto()</c> runs the model's tool calls as kernel functions through the kernel's filters),
    /// keyed by <paramref name="serviceId"/> (default: the model's name). The first model added is also the unkeyed default.
    /// </summary>
    public static IKernelBuilder AddProofModel(this IKernelBuilder builder, LanguageModel model, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(model);
        var key = serviceId ?? model.Spec.Name;
#pragma warning disable SKEXP0001 // UseKernelFunctionInvocation is marked experimental in SK 1.82.
        var completion = model.ChatClient.AsBuilder().UseKernelFunctionInvocation().Build().AsChatCompletionService();
#pragma warning restore SKEXP0001
        builder.Services.AddKeyedSingleton(key, model.ChatClient);
        builder.Services.AddKeyedSingleton(key, completion);
        builder.Services.AddKeyedSingleton(key, model);
        if (!builder.Services.Any(d => d.ServiceType == typeof(IChatCompletionService) && !d.IsKeyedService))
        {
            builder.Services.AddSingleton(model.ChatClient);
            builder.Services.AddSingleton(completion);
            builder.Services.AddSingleton(model);
        }

        return builder;
    }

    /// <summary>Loads <paramref name="name"/> from <paramref name="registry"/> and adds it as in <see cref="AddProofModel(IKernelBuilder, LanguageModel, string?)"/>.</summary>
    public static async Task<IKernelBuilder> AddProofModelAsync(this IKernelBuilder builder, ModelRegistry registry, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var model = await registry.GetAsync(name, cancellationToken).ConfigureAwait(false);
        return builder.AddProofModel(model);
    }
}
