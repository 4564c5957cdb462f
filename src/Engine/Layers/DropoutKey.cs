namespace BackpropService.Engine.Layers;

/// <summary>
/// Which mini-batch of which run a training pass is: a dropout mask is a function of this key, the layer and the element
/// (a counter-based hash, not a shared generator), so a run gives the same masks at any thread count and after a resume
/// from a checkpoint.
/// </summary>
/// <param name="Seed">The run's seed.</param>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Batch">0-based mini-batch within the epoch.</param>
public readonly record struct DropoutKey(ulong Seed, int Epoch, int Batch);
