using Xunit;

namespace ProofAgent.Testing;

/// <summary>A fact that needs tools on PATH (and, when asked, <c>../shared</c>); skipped with the reason otherwise.</summary>
public sealed class RequiresFactAttribute : FactAttribute
{
    public RequiresFactAttribute(bool shared, params string[] tools)
    {
        if (SkipReasons.Requirements(shared, tools) is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A fact that runs only when every named executable is on PATH, and says which are missing otherwise.</summary>
public sealed class RequiresToolsFactAttribute : FactAttribute
{
    public RequiresToolsFactAttribute(params string[] tools)
    {
        if (SkipReasons.Tools(tools) is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that runs only when every named executable is on PATH.</summary>
public sealed class RequiresToolsTheoryAttribute : TheoryAttribute
{
    public RequiresToolsTheoryAttribute(params string[] tools)
    {
        if (SkipReasons.Tools(tools) is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A fact that needs the team's <c>../shared</c> folder (absent from a user's clone) and, optionally, tools.</summary>
public sealed class RequiresSharedFactAttribute : FactAttribute
{
    public RequiresSharedFactAttribute(params string[] tools)
    {
        if (SkipReasons.Requirements(true, tools) is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A fact that needs the folder <c>../shared/PARTS</c> (recorded fixtures, a data set); skipped with the reason otherwise.</summary>
public sealed class RequiresSharedFolderFactAttribute : FactAttribute
{
    public RequiresSharedFolderFactAttribute(params string[] parts)
    {
        if (SkipReasons.SharedFolder(parts) is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs the folder <c>../shared/PARTS</c>.</summary>
public sealed class RequiresSharedFolderTheoryAttribute : TheoryAttribute
{
    public RequiresSharedFolderTheoryAttribute(params string[] parts)
    {
        if (SkipReasons.SharedFolder(parts) is { } reason)
        {
            Skip = reason;
        }
    }
}
