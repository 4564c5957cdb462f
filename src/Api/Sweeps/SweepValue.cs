using System.Text.Json.Nodes;

namespace BackpropService.Api.Sweeps;

/// <summary>The value one setting takes at one point of a sweep.</summary>
/// <param name="Source">Where in the sweep request the value comes from (<c>grid.learningRate[2]</c>, <c>random.learningRate.logUniform</c>): errors about it are reported there.</param>
/// <param name="Shown">How the value reads in the job's name.</param>
public sealed record SweepValue(SweepSetting Setting, JsonNode? Value, string Source, string Shown);
