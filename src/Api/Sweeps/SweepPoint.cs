namespace BackpropService.Api.Sweeps;

/// <summary>One point of a sweep (one job): its number, from 1, and the value of each swept setting.</summary>
public sealed record SweepPoint(int Number, IReadOnlyList<SweepValue> Values)
{
    /// <summary>"learningRate=0.1, batchSize=32".</summary>
    public string Describe() => string.Join(", ", Values.Select(v => $"{v.Setting.Path}={v.Shown}"));
}
