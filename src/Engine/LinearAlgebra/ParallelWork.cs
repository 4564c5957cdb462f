namespace BackpropService.Engine.LinearAlgebra;

/// <summary>
/// A piece of work split into <c>parts</c> independent parts, run by <see cref="WorkerTeam"/>. Implementations
/// are reused objects (not closures), so handing one to the team allocates nothing.
/// </summary>
internal abstract class ParallelWork
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/>; parts must not overlap in what they write.</summary>
    public abstract void Execute(int part, int parts);
}
