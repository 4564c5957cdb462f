namespace BackpropService.Engine.LinearAlgebra;

/// <summary>
/// One convolution's sizes: <see cref="Filters"/> square kernels of side <see cref="Kernel"/> moved by
/// <see cref="Stride"/> over an input of shape <see cref="Input"/> (CHW) padded with <see cref="Padding"/> zeros on
/// every side. The output's shape is <see cref="NetworkShape.ConvolutionOutput"/>'s, the one rule the network's
/// validation also uses.
/// </summary>
public readonly record struct ConvolutionGeometry(TensorShape Input, int Filters, int Kernel, int Stride, int Padding)
{
    /// <summary>Filters × output height × output width.</summary>
    public TensorShape Output => NetworkShape.ConvolutionOutput(Input, Filters, Kernel, Stride, Padding);

    /// <summary>Weights of one filter, C_in · K · K: one row of the OIHW weight matrix, one column of an im2col matrix.</summary>
    public int PatchLength => Input.Channels * Kernel * Kernel;

    /// <summary>Positions of the kernel in one sample: output height × output width.</summary>
    public int Positions
    {
        get
        {
            TensorShape output = Output;
            return output.Height * output.Width;
        }
    }

    /// <summary>Throws unless every size is positive and the kernel fits the padded input (checked before any loop runs).</summary>
    internal void Check()
    {
        if (Input.Channels < 1 || Input.Height < 1 || Input.Width < 1 || Filters < 1 || Kernel < 1 || Stride < 1 || Padding < 0)
            throw new ArgumentException($"convolution sizes must be positive: input {Input}, {Filters} filters, kernel {Kernel}, stride {Stride}, padding {Padding}.");
        TensorShape output = Output;
        if (output.Height < 1 || output.Width < 1)
            throw new ArgumentException($"a {Kernel}x{Kernel} kernel does not fit a {Input.Height}x{Input.Width} input padded by {Padding}.");
        if (Input.Length > int.MaxValue || output.Length > int.MaxValue || (long)Filters * PatchLength > int.MaxValue
            || (long)PatchLength * output.Height * output.Width > int.MaxValue)
            throw new ArgumentException($"convolution of input {Input} with {Filters} filters of {Kernel}x{Kernel} is too large.");
    }
}
