namespace BackpropService.Engine.Initialization;

/// <summary>How a network's starting weights and biases are drawn.</summary>
public enum InitializationKind
{
    /// <summary>Weights and biases ~ N(0, 1) (the book's chapter 1).</summary>
    Normal,

    /// <summary>Weights ~ N(0, 1/n_in), biases ~ N(0, 1) (the book's chapter 3).</summary>
    ScaledNormal,

    /// <summary>Glorot: weights ~ N(0, 2/(n_in + n_out)), biases 0.</summary>
    Xavier,

    /// <summary>He: weights ~ N(0, 2/n_in), biases 0 (suits ReLU).</summary>
    He,
}
