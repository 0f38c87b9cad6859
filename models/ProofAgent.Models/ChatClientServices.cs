using Microsoft.Extensions.AI;

namespace ProofAgent.Models;

/// <summary>The services a chat view of a generation engine answers for, the same for every such view.</summary>
internal static class ChatClientServices
{
    /// <summary>Its metadata, the view itself, or the engine behind it (an unkeyed request only).</summary>
    public static object? Get(IChatClient client, ChatClientMetadata metadata, object engine, Type serviceType, object? serviceKey)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? metadata
            : serviceType.IsInstanceOfType(client) ? client
            : serviceType.IsInstanceOfType(engine) ? engine
            : null;
    }
}
