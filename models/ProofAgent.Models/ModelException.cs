namespace ProofAgent.Models;

/// <summary>What went wrong, so that a caller (and the CLI's exit code) can tell the user what to do.</summary>
public enum ModelErrorKind
{
    /// <summary>The registry configuration is missing, malformed or names an unknown model.</summary>
    Configuration,

    /// <summary>The GGUF file does not exist.</summary>
    ModelFileMissing,

    /// <summary>The file is not a GGUF model the runtime can load.</summary>
    BadModelFormat,

    /// <summary>Not enough memory for the weights or the KV cache.</summary>
    OutOfMemory,

    /// <summary>Prompt plus token budget exceed the context length.</summary>
    ContextOverflow,

    /// <summary>Bad sampling options or arguments.</summary>
    InvalidRequest,

    /// <summary>The model server cannot be reached (after retries).</summary>
    Unreachable,

    /// <summary>The model server answered with an error.</summary>
    ServerError,

    /// <summary>The model server did not answer in time (after retries).</summary>
    Timeout,

    /// <summary>The runtime failed while generating.</summary>
    Runtime,
}

/// <summary>A model failure with a message a user can act on.</summary>
public sealed class ModelException : Exception
{
    public ModelException(ModelErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public ModelException()
        : this(ModelErrorKind.Runtime, "model error")
    {
    }

    public ModelException(string message)
        : this(ModelErrorKind.Runtime, message)
    {
    }

    public ModelException(string message, Exception innerException)
        : this(ModelErrorKind.Runtime, message, innerException)
    {
    }

    public ModelErrorKind Kind { get; }

    /// <summary>True for errors the user fixes in their input or configuration (exit code 2 on the CLI).</summary>
    public bool IsUserError => Kind is ModelErrorKind.Configuration or ModelErrorKind.ModelFileMissing or ModelErrorKind.BadModelFormat
        or ModelErrorKind.ContextOverflow or ModelErrorKind.InvalidRequest;
}
