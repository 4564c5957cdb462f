namespace BackpropService.Engine.Serialization;

/// <summary>How a file stores its layers; each file format's version decides which it has.</summary>
internal enum LayerEncoding
{
    /// <summary>Model files of version 1 and checkpoints of version 1: size and activation per layer, all dense.</summary>
    DenseOnly,

    /// <summary>Since model file version 2 and checkpoint version 2: every layer's kind and settings (<see cref="BinaryFields.WriteLayers"/>).</summary>
    Typed,
}
