using DeepLinearProofs.Smt;
using Xunit;

namespace DeepLinearProofs.Tests.Smt;

/// <summary>Why tests that need Z3 cannot run here (the z3 worker or libz3 is missing), or null.</summary>
internal static class Z3Requirement
{
    private static readonly Lazy<string?> Reason = new(() => new Z3Worker().Unavailable is { } why ? $"needs Z3: {why}" : null);

    public static string? SkipReason => Reason.Value;
}

/// <summary>A fact that is skipped, with the reason, when the z3 worker or libz3 is missing.</summary>
public sealed class Z3FactAttribute : FactAttribute
{
    public Z3FactAttribute()
    {
        if (Z3Requirement.SkipReason is { } why) Skip = why;
    }
}

/// <summary>A theory that is skipped, with the reason, when the z3 worker or libz3 is missing.</summary>
public sealed class Z3TheoryAttribute : TheoryAttribute
{
    public Z3TheoryAttribute()
    {
        if (Z3Requirement.SkipReason is { } why) Skip = why;
    }
}
