namespace BackpropService.Contracts;

/// <summary>How initial weights are drawn.</summary>
public enum Initialization
{
    /// <summary>N(0, 1).</summary>
    Normal,

    /// <summary>N(0, 1/n_in).</summary>
    ScaledNormal,

    Xavier,
    He,
}
