using BackpropService.Engine.Optimizers;

namespace BackpropService.Engine.Tests;

/// <summary>Theory data: one case per optimizer (<c>[MemberData(nameof(EveryOptimizer.Kinds), MemberType = typeof(EveryOptimizer))]</c>).</summary>
public static class EveryOptimizer
{
    public static TheoryData<OptimizerKind> Kinds => new(Enum.GetValues<OptimizerKind>());
}
