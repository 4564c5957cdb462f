using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Numerics.Tensors;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Layers;

namespace BackpropService.Engine;

/// <summary>
/// A feed-forward network of layers (dense, conv2d, maxPool, dropout: <see cref="Layers"/>), generic over the number
/// type: training runs in <see cref="float"/> for speed, the step-through explainer and gradient checks in
/// <see cref="double"/>. All weights and biases live in one flat array, layer by layer (W¹, b¹, W², b², …; layers
/// without parameters take no room), so an optimizer, a checkpoint or a model file sees a single vector θ, and the
/// gradient ∂C/∂θ has the same layout. Notation (Nielsen, ch. 2): zˡ = Wˡ aˡ⁻¹ + bˡ (a convolution in a conv layer),
/// aˡ = σ(zˡ); a mini-batch is a matrix with one sample per row, a shaped sample stored channel by channel (CHW).
/// </summary>
public sealed class Network<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Layer[] _layers;

    /// <summary>The lowest layer with weights: δ need not flow below it.</summary>
    private readonly int _firstWeightedLayer;

    /// <summary>A network of dense (and dropout) layers on a flat input of <paramref name="inputs"/> values.</summary>
    /// <exception cref="ArgumentException">The shape breaks a rule of <see cref="NetworkShape.Check"/> under the engine's own limits.</exception>
    public Network(int inputs, IReadOnlyList<LayerSpec> layers)
        : this(new NetworkShape(inputs, layers ?? throw new ArgumentNullException(nameof(layers))), nameof(layers))
    {
    }

    /// <summary>A network of any layers on the input <paramref name="shape"/> gives (<see cref="NetworkShape.InputShape"/> for images).</summary>
    /// <exception cref="ArgumentException">The shape breaks a rule of <see cref="NetworkShape.Check"/> under the engine's own limits.</exception>
    public Network(NetworkShape shape)
        : this(shape ?? throw new ArgumentNullException(nameof(shape)), nameof(shape))
    {
    }

    private Network(NetworkShape shape, string parameterName)
    {
        if (shape.Check(NetworkLimits.Engine, "inputs") is [var first, ..])
            throw new ArgumentException($"{first.Field}: {first.Reason}.", parameterName);

        Shape = shape with { Layers = shape.Layers.ToArray() }; // a copy the caller cannot change
        _layers = Layer.Build(Shape);
        _firstWeightedLayer = Array.FindIndex(_layers, l => l.HasWeights); // the output layer is dense, so there is one
        Parameters = new T[_layers.Sum(l => l.ParameterCount)];
        MaxWidth = Math.Max(Inputs, _layers.Max(l => l.Outputs));
        _predictKernelScratch = (int)_layers.Max(l => l.ScratchLength(1, 1));
        PredictScratchLength = 2 * MaxWidth + _predictKernelScratch + _layers.Max(l => l.WinnerLength);
    }

    /// <summary>The input's shape and the layers.</summary>
    public NetworkShape Shape { get; }

    /// <summary>Values in one sample's input (C · H · W for a shaped input).</summary>
    public int Inputs => Shape.Inputs;

    public int Outputs => _layers[^1].Outputs;

    public IReadOnlyList<Layer> Layers => _layers;

    public IReadOnlyList<LayerSpec> Specs => Shape.Layers;

    /// <summary>θ: every weight and bias, layer by layer.</summary>
    public T[] Parameters { get; }

    public int ParameterCount => Parameters.Length;

    /// <summary>
    /// Threads the mini-batch products and convolutions may use (1 by default). Results are bit-identical whatever
    /// the value: threads split the rows or columns of a product, never its sums.
    /// </summary>
    public int Threads
    {
        get => _threads;
        set => _threads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "threads must be at least 1.");
    }

    private int _threads = 1;

    /// <summary>The widest layer, input included: the size of a one-sample activation buffer.</summary>
    public int MaxWidth { get; }

    /// <summary>
    /// Elements <see cref="Predict"/> needs in its scratch: two one-sample activation buffers, the convolutions' scratch
    /// for one row, and room for a pool's winners.
    /// </summary>
    public int PredictScratchLength { get; }

    /// <summary>The convolutions' scratch for one row on one thread.</summary>
    private readonly int _predictKernelScratch;

    /// <summary>Wˡ (dense: row-major, outputs × inputs, element [j·Inputs + k] is w_jk; conv2d: OIHW); empty for a layer without weights.</summary>
    public Span<T> Weights(int layer) => Parameters.AsSpan(_layers[layer].WeightOffset, _layers[layer].WeightCount);

    /// <summary>bˡ.</summary>
    public Span<T> Biases(int layer) => Parameters.AsSpan(_layers[layer].BiasOffset, _layers[layer].BiasCount);

    /// <summary>Buffers for passes of up to <paramref name="maxRows"/> rows, the convolutions' scratch sized for <see cref="Threads"/>.</summary>
    public NetworkWorkspace<T> CreateWorkspace(int maxRows) => new(_layers, maxRows, _threads);

    /// <summary>Forward pass over a mini-batch (rows × Inputs), filling the workspace's z and a; dropout is the identity.</summary>
    public void Forward(ReadOnlySpan<T> inputs, int rows, NetworkWorkspace<T> workspace) => Forward(inputs, rows, workspace, keepWeightedInputs: true, dropout: null);

    /// <summary>The training forward pass: as <see cref="Forward(ReadOnlySpan{T}, int, NetworkWorkspace{T})"/> with the dropout masks of <paramref name="dropout"/>.</summary>
    public void Forward(ReadOnlySpan<T> inputs, int rows, NetworkWorkspace<T> workspace, DropoutKey dropout) =>
        Forward(inputs, rows, workspace, keepWeightedInputs: true, dropout);

    /// <summary>
    /// Inference over a batch (rows × Inputs): the same outputs as <see cref="Forward(ReadOnlySpan{T}, int, NetworkWorkspace{T})"/>,
    /// bit for bit, without keeping what only backpropagation needs (the workspace's z of ReLU and identity
    /// dense layers are not written). Returns the output activations (rows × Outputs), held by the workspace.
    /// </summary>
    public ReadOnlySpan<T> Infer(ReadOnlySpan<T> inputs, int rows, NetworkWorkspace<T> workspace)
    {
        Forward(inputs, rows, workspace, keepWeightedInputs: false, dropout: null);
        return workspace.Output;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot loop from the first epoch, without waiting for tiered JIT
    private void Forward(ReadOnlySpan<T> inputs, int rows, NetworkWorkspace<T> workspace, bool keepWeightedInputs, DropoutKey? dropout)
    {
        if (rows > workspace.MaxRows) throw new ArgumentException($"{rows} rows exceed the workspace's {workspace.MaxRows}.", nameof(rows));
        if (inputs.Length < rows * Inputs) throw new ArgumentException($"inputs hold {inputs.Length} values, {rows} rows need {rows * Inputs}.", nameof(inputs));
        if (workspace.Activations.Length != _layers.Length) throw new ArgumentException("the workspace belongs to another network.", nameof(workspace));
        workspace.Rows = rows;
        ReadOnlySpan<T> previous = inputs[..(rows * Inputs)];
        foreach (Layer layer in _layers)
        {
            int l = layer.Index;
            layer.Forward(new LayerForward<T>
            {
                Input = previous,
                WeightedInput = workspace.WeightedInputs[l],
                Activation = workspace.Activations[l],
                Parameters = Parameters,
                Rows = rows,
                Threads = _threads,
                ScratchThreads = workspace.Threads,
                Scratch = workspace.Scratch,
                Winners = workspace.Winners[l],
                Mask = workspace.Masks[l],
                Dropout = dropout,
                KeepWeightedInput = keepWeightedInputs,
            });
            previous = workspace.Activations[l].AsSpan(0, rows * layer.Outputs);
        }
    }

    /// <summary>
    /// Backpropagation over a mini-batch of m rows, dropout being the identity. Writes into <paramref name="gradients"/>
    /// (same layout as <see cref="Parameters"/>) the gradient of the mean cost (1/m) Σ_x C_x, and returns Σ_x C_x.
    /// </summary>
    public T Backpropagate(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int rows, Cost cost, NetworkWorkspace<T> workspace, Span<T> gradients) =>
        Backpropagate(inputs, targets, rows, cost, workspace, gradients, dropout: null);

    /// <summary>The training step's backpropagation: as the overload without a key, through the dropout masks of <paramref name="dropout"/>.</summary>
    public T Backpropagate(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int rows, Cost cost, NetworkWorkspace<T> workspace, Span<T> gradients, DropoutKey dropout) =>
        Backpropagate(inputs, targets, rows, cost, workspace, gradients, (DropoutKey?)dropout);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot loop from the first epoch, without waiting for tiered JIT
    private T Backpropagate(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int rows, Cost cost, NetworkWorkspace<T> workspace, Span<T> gradients, DropoutKey? dropout)
    {
        if (gradients.Length != ParameterCount) throw new ArgumentException($"gradients hold {gradients.Length} values, the network has {ParameterCount} parameters.", nameof(gradients));
        if (targets.Length < rows * Outputs) throw new ArgumentException($"targets hold {targets.Length} values, {rows} rows need {rows * Outputs}.", nameof(targets));
        Forward(inputs, rows, workspace, keepWeightedInputs: true, dropout);

        Layer output = _layers[^1];
        int last = output.Index;
        ReadOnlySpan<T> outputZ = workspace.WeightedInputs[last].AsSpan(0, rows * output.Outputs);
        ReadOnlySpan<T> outputA = workspace.Activations[last].AsSpan(0, rows * output.Outputs);
        ReadOnlySpan<T> y = targets[..(rows * output.Outputs)];
        T loss = cost.Loss(output.Activation, outputZ, outputA, y, output.Outputs);

        // BP1: δᴸ = ∇_a C ⊙ σ'(zᴸ)
        cost.OutputError(output.Activation, outputZ, outputA, y, workspace.Errors[last].AsSpan(0, rows * output.Outputs), output.Outputs);

        T meanFactor = T.One / T.CreateChecked(rows);
        // Layers below the first one with weights have no gradient to compute, and no δ needs to reach them.
        for (int l = last; l >= _firstWeightedLayer; l--)
        {
            Layer layer = _layers[l];
            bool errorFlowsDown = l > _firstWeightedLayer;

            // BP3 and BP4 for this layer's parameters, and the first half of BP2: ∂C/∂aˡ⁻¹ from δˡ.
            layer.Backward(new LayerBackward<T>
            {
                Input = l == 0 ? inputs[..(rows * Inputs)] : workspace.Activations[l - 1].AsSpan(0, rows * layer.Inputs),
                Error = workspace.Errors[l].AsSpan(0, rows * layer.Outputs),
                InputError = errorFlowsDown ? workspace.Errors[l - 1].AsSpan(0, rows * layer.Inputs) : default,
                Parameters = Parameters,
                Gradients = gradients,
                Rows = rows,
                Scale = meanFactor,
                Threads = _threads,
                ScratchThreads = workspace.Threads,
                Scratch = workspace.Scratch,
                Winners = workspace.Winners[l],
                Mask = workspace.Masks[l],
                Dropout = dropout,
            });

            if (errorFlowsDown)
            {
                // BP2, second half: δˡ⁻¹ = ∂C/∂aˡ⁻¹ ⊙ σ'(zˡ⁻¹) (nothing to do below a pool or dropout, whose σ is the identity).
                Layer below = _layers[l - 1];
                SampleBands.ActivationBackward(below.Activation,
                    workspace.WeightedInputs[l - 1].AsSpan(0, rows * below.Outputs),
                    workspace.Activations[l - 1].AsSpan(0, rows * below.Outputs),
                    workspace.Errors[l - 1].AsSpan(0, rows * below.Outputs), below.Outputs, rows, _threads);
            }
        }

        return loss;
    }

    /// <summary>The regularization term of the cost: (λ₂/2n) Σ w² + (λ₁/n) Σ |w|, over the weights of dense and conv layers (not biases).</summary>
    public T Penalty(Regularization regularization)
    {
        if (regularization.IsNone) return T.Zero;
        T l2 = T.CreateChecked(regularization.L2 / regularization.TrainingSamples);
        T l1 = T.CreateChecked(regularization.L1 / regularization.TrainingSamples);
        T penalty = T.Zero;
        foreach (Layer layer in _layers)
        {
            if (!layer.HasWeights) continue;
            ReadOnlySpan<T> weights = Weights(layer.Index);
            penalty += l2 / (T.One + T.One) * TensorPrimitives.SumOfSquares(weights) + l1 * TensorPrimitives.SumOfMagnitudes(weights);
        }
        return penalty;
    }

    /// <summary>Adds ∂(penalty)/∂w = (λ₂/n) w + (λ₁/n) sgn(w) to the weight gradients (<see cref="Regularization.AddGradient{T}"/>).</summary>
    public void AddPenaltyGradient(Regularization regularization, Span<T> gradients)
    {
        if (regularization.IsNone) return;
        foreach (Layer layer in _layers)
        {
            if (layer.HasWeights)
                regularization.AddGradient<T>(Weights(layer.Index), gradients.Slice(layer.WeightOffset, layer.WeightCount));
        }
    }

    /// <summary>
    /// One sample through the network without a workspace (dropout is the identity). <paramref name="scratch"/> needs
    /// <see cref="PredictScratchLength"/> elements; nothing is allocated.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot loop from the first epoch, without waiting for tiered JIT
    public void Predict(ReadOnlySpan<T> input, Span<T> output, Span<T> scratch)
    {
        if (input.Length != Inputs) throw new ArgumentException($"expected {Inputs} inputs, got {input.Length}.", nameof(input));
        if (output.Length < Outputs) throw new ArgumentException($"output holds {output.Length} values, the network has {Outputs} outputs.", nameof(output));
        if (scratch.Length < PredictScratchLength) throw new ArgumentException($"scratch needs {PredictScratchLength} elements.", nameof(scratch));

        int width = MaxWidth, kernelScratch = _predictKernelScratch;
        Span<T> current = scratch[..width];
        Span<T> next = scratch.Slice(width, width);
        Span<T> convolutionScratch = scratch.Slice(2 * width, kernelScratch);
        // A pool's winners borrow the rest of the scratch's bytes: a T (float or double) holds at least one int.
        Span<int> winners = MemoryMarshal.Cast<T, int>(scratch[(2 * width + kernelScratch)..]);
        input.CopyTo(current);
        foreach (Layer layer in _layers)
        {
            if (layer.Kind == LayerKind.Dropout) continue; // the identity outside training

            // One row through the batch code (z computed into the output buffer, σ applied in place), so a sample gives
            // the same bits here as in Forward.
            layer.Forward(new LayerForward<T>
            {
                Input = current[..layer.Inputs],
                WeightedInput = next,
                Activation = next,
                Parameters = Parameters,
                Rows = 1,
                Threads = 1,
                ScratchThreads = 1,
                Scratch = convolutionScratch,
                Winners = winners,
                KeepWeightedInput = false,
            });
            Span<T> swap = current;
            current = next;
            next = swap;
        }
        current[..Outputs].CopyTo(output);
    }

    /// <summary>The same network in another number type (float ↔ double).</summary>
    public Network<TOther> Convert<TOther>() where TOther : unmanaged, IFloatingPointIeee754<TOther>
    {
        var copy = new Network<TOther>(Shape);
        for (int i = 0; i < Parameters.Length; i++) copy.Parameters[i] = TOther.CreateChecked(Parameters[i]);
        return copy;
    }

    public Network<T> Clone()
    {
        var copy = new Network<T>(Shape);
        Parameters.CopyTo(copy.Parameters, 0);
        return copy;
    }
}
