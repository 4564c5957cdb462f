using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.LinearAlgebra;

namespace BackpropService.Engine;

/// <summary>
/// A feed-forward network of fully connected layers, generic over the number type: training runs in
/// <see cref="float"/> for speed, the step-through explainer and gradient checks in <see cref="double"/>.
/// All weights and biases live in one flat array, layer by layer (W¹, b¹, W², b², …), so an optimizer,
/// a checkpoint or a model file sees a single vector θ, and the gradient ∂C/∂θ has the same layout.
/// Notation (Nielsen, ch. 2): zˡ = Wˡ aˡ⁻¹ + bˡ, aˡ = σ(zˡ); a mini-batch is a matrix with one sample per row.
/// </summary>
public sealed class Network<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DenseLayer[] _layers;

    /// <exception cref="ArgumentException">The shape breaks a rule of <see cref="NetworkShape.Check"/> under the engine's own limits.</exception>
    public Network(int inputs, IReadOnlyList<LayerSpec> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (new NetworkShape(inputs, layers).Check(NetworkLimits.Engine, nameof(inputs)) is [var first, ..])
            throw new ArgumentException($"{first.Field}: {first.Reason}.", nameof(layers));

        _layers = new DenseLayer[layers.Count];
        int offset = 0;
        int previous = inputs;
        for (int l = 0; l < layers.Count; l++)
        {
            LayerSpec spec = layers[l];
            _layers[l] = new DenseLayer(l, previous, spec.Size, spec.Activation, offset);
            offset += previous * spec.Size + spec.Size; // fits: the check bounds the count by Array.MaxLength
            previous = spec.Size;
        }

        Inputs = inputs;
        Parameters = new T[offset];
    }

    public int Inputs { get; }

    public int Outputs => _layers[^1].Outputs;

    public IReadOnlyList<DenseLayer> Layers => _layers;

    public IReadOnlyList<LayerSpec> Specs => _layers.Select(l => l.Spec).ToArray();

    /// <summary>θ: every weight and bias, layer by layer.</summary>
    public T[] Parameters { get; }

    public int ParameterCount => Parameters.Length;

    /// <summary>
    /// Threads the mini-batch matrix products may use (1 by default). Results are bit-identical whatever
    /// the value: threads split the rows or columns of a product, never its sums.
    /// </summary>
    public int Threads
    {
        get => _threads;
        set => _threads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "threads must be at least 1.");
    }

    private int _threads = 1;

    /// <summary>The widest layer, input included: the size of a one-sample activation buffer.</summary>
    public int MaxWidth => Math.Max(Inputs, _layers.Max(l => l.Outputs));

    /// <summary>Wˡ, row-major (neurons × inputs): element [j·Inputs + k] is w_jk.</summary>
    public Span<T> Weights(int layer) => Parameters.AsSpan(_layers[layer].WeightOffset, _layers[layer].WeightCount);

    /// <summary>bˡ.</summary>
    public Span<T> Biases(int layer) => Parameters.AsSpan(_layers[layer].BiasOffset, _layers[layer].Outputs);

    public NetworkWorkspace<T> CreateWorkspace(int maxRows) => new(_layers, maxRows);

    /// <summary>Forward pass over a mini-batch (rows × Inputs), filling the workspace's z and a.</summary>
    public void Forward(ReadOnlySpan<T> inputs, int rows, NetworkWorkspace<T> workspace) => Forward(inputs, rows, workspace, keepWeightedInputs: true);

    /// <summary>
    /// Inference over a batch (rows × Inputs): the same outputs as <see cref="Forward(ReadOnlySpan{T}, int, NetworkWorkspace{T})"/>,
    /// bit for bit, without keeping what only backpropagation needs (the workspace's z of ReLU and identity
    /// layers are not written). Returns the output activations (rows × Outputs), held by the workspace.
    /// </summary>
    public ReadOnlySpan<T> Infer(ReadOnlySpan<T> inputs, int rows, NetworkWorkspace<T> workspace)
    {
        Forward(inputs, rows, workspace, keepWeightedInputs: false);
        return workspace.Output;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot loop from the first epoch, without waiting for tiered JIT
    private void Forward(ReadOnlySpan<T> inputs, int rows, NetworkWorkspace<T> workspace, bool keepWeightedInputs)
    {
        if (rows > workspace.MaxRows) throw new ArgumentException($"{rows} rows exceed the workspace's {workspace.MaxRows}.", nameof(rows));
        if (inputs.Length < rows * Inputs) throw new ArgumentException($"inputs hold {inputs.Length} values, {rows} rows need {rows * Inputs}.", nameof(inputs));
        workspace.Rows = rows;
        ReadOnlySpan<T> previous = inputs[..(rows * Inputs)];
        foreach (DenseLayer layer in _layers)
        {
            int width = layer.Outputs;
            Span<T> weightedInput = workspace.WeightedInputs[layer.Index].AsSpan(0, rows * width);
            Span<T> activation = workspace.Activations[layer.Index].AsSpan(0, rows * width);
            ActivationKind kind = layer.Activation.Kind;

            // zˡ = aˡ⁻¹ · Wˡᵀ + bˡ and aˡ = σ(zˡ) as each element is stored, where a fused kernel exists
            // (ReLU, identity); z is then written only when backpropagation will need it.
            if ((kind is ActivationKind.Relu or ActivationKind.Identity)
                && Gemm.TryForwardFused(previous, Weights(layer.Index), Biases(layer.Index), keepWeightedInputs ? weightedInput : default,
                    activation, relu: kind == ActivationKind.Relu, rows, width, layer.Inputs, _threads))
            {
                previous = activation;
                continue;
            }

            // zˡ = aˡ⁻¹ · Wˡᵀ + bˡ (one row per sample; the bias is added as each element of z is stored)
            Gemm.MultiplyTransposedB(previous, Weights(layer.Index), Biases(layer.Index), weightedInput, rows, width, layer.Inputs, T.One, accumulate: false, _threads);

            // aˡ = σ(zˡ)
            layer.Activation.Forward<T>(weightedInput, activation, width);
            previous = activation;
        }
    }

    /// <summary>
    /// Backpropagation over a mini-batch of m rows. Writes into <paramref name="gradients"/> (same layout as
    /// <see cref="Parameters"/>) the gradient of the mean cost (1/m) Σ_x C_x, and returns Σ_x C_x.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot loop from the first epoch, without waiting for tiered JIT
    public T Backpropagate(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int rows, Cost cost, NetworkWorkspace<T> workspace, Span<T> gradients)
    {
        if (gradients.Length != ParameterCount) throw new ArgumentException($"gradients hold {gradients.Length} values, the network has {ParameterCount} parameters.", nameof(gradients));
        if (targets.Length < rows * Outputs) throw new ArgumentException($"targets hold {targets.Length} values, {rows} rows need {rows * Outputs}.", nameof(targets));
        Forward(inputs, rows, workspace);

        DenseLayer output = _layers[^1];
        int last = output.Index;
        ReadOnlySpan<T> outputZ = workspace.WeightedInputs[last].AsSpan(0, rows * output.Outputs);
        ReadOnlySpan<T> outputA = workspace.Activations[last].AsSpan(0, rows * output.Outputs);
        ReadOnlySpan<T> y = targets[..(rows * output.Outputs)];
        T loss = cost.Loss(output.Activation, outputZ, outputA, y, output.Outputs);

        // BP1: δᴸ = ∇_a C ⊙ σ'(zᴸ)
        cost.OutputError(output.Activation, outputZ, outputA, y, workspace.Errors[last].AsSpan(0, rows * output.Outputs), output.Outputs);

        T meanFactor = T.One / T.CreateChecked(rows);
        for (int l = last; l >= 0; l--)
        {
            DenseLayer layer = _layers[l];
            ReadOnlySpan<T> error = workspace.Errors[l].AsSpan(0, rows * layer.Outputs);
            ReadOnlySpan<T> previousActivation = l == 0
                ? inputs[..(rows * Inputs)]
                : workspace.Activations[l - 1].AsSpan(0, rows * layer.Inputs);

            // BP3: ∂C/∂b_j = δ_j, averaged over the batch rows.
            Span<T> biasGradients = gradients.Slice(layer.BiasOffset, layer.Outputs);
            biasGradients.Clear();
            for (int row = 0; row < rows; row++)
                TensorPrimitives.Add(biasGradients, error.Slice(row * layer.Outputs, layer.Outputs), biasGradients);
            TensorPrimitives.Multiply(biasGradients, meanFactor, biasGradients);

            // BP4: ∂C/∂w_jk = a_k^(l−1) δ_j, for the batch (1/m)·δᵀ·aˡ⁻¹.
            Span<T> weightGradients = gradients.Slice(layer.WeightOffset, layer.WeightCount);
            Gemm.MultiplyTransposedA(error, previousActivation, weightGradients, layer.Outputs, layer.Inputs, rows, meanFactor, accumulate: false, _threads);

            if (l > 0)
            {
                // BP2: δˡ⁻¹ = (Wˡᵀ δˡ) ⊙ σ'(zˡ⁻¹), for the batch δˡ·Wˡ then ⊙ σ'.
                DenseLayer below = _layers[l - 1];
                Span<T> belowError = workspace.Errors[l - 1].AsSpan(0, rows * below.Outputs);
                Gemm.Multiply(error, Weights(l), belowError, rows, layer.Inputs, layer.Outputs, T.One, accumulate: false, _threads);
                below.Activation.BackpropagateInPlace(
                    workspace.WeightedInputs[l - 1].AsSpan(0, rows * below.Outputs),
                    workspace.Activations[l - 1].AsSpan(0, rows * below.Outputs),
                    belowError, below.Outputs);
            }
        }

        return loss;
    }

    /// <summary>The regularization term of the cost: (λ₂/2n) Σ w² + (λ₁/n) Σ |w|, over weights only.</summary>
    public T Penalty(Regularization regularization)
    {
        if (regularization.IsNone) return T.Zero;
        T l2 = T.CreateChecked(regularization.L2 / regularization.TrainingSamples);
        T l1 = T.CreateChecked(regularization.L1 / regularization.TrainingSamples);
        T penalty = T.Zero;
        for (int l = 0; l < _layers.Length; l++)
        {
            ReadOnlySpan<T> weights = Weights(l);
            penalty += l2 / (T.One + T.One) * TensorPrimitives.SumOfSquares(weights) + l1 * TensorPrimitives.SumOfMagnitudes(weights);
        }
        return penalty;
    }

    /// <summary>Adds ∂(penalty)/∂w = (λ₂/n) w + (λ₁/n) sgn(w) to the weight gradients.</summary>
    public void AddPenaltyGradient(Regularization regularization, Span<T> gradients)
    {
        if (regularization.IsNone) return;
        T l2 = T.CreateChecked(regularization.L2 / regularization.TrainingSamples);
        T l1 = T.CreateChecked(regularization.L1 / regularization.TrainingSamples);
        foreach (DenseLayer layer in _layers)
        {
            ReadOnlySpan<T> weights = Weights(layer.Index);
            Span<T> weightGradients = gradients.Slice(layer.WeightOffset, layer.WeightCount);
            if (l2 != T.Zero) TensorPrimitives.MultiplyAdd(weights, l2, weightGradients, weightGradients);
            if (l1 != T.Zero)
            {
                for (int i = 0; i < weights.Length; i++)
                    weightGradients[i] += l1 * T.CreateChecked(T.Sign(weights[i]));
            }
        }
    }

    /// <summary>
    /// One sample through the network without a workspace. <paramref name="scratch"/> needs
    /// 2 × <see cref="MaxWidth"/> elements; nothing is allocated.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot loop from the first epoch, without waiting for tiered JIT
    public void Predict(ReadOnlySpan<T> input, Span<T> output, Span<T> scratch)
    {
        if (input.Length != Inputs) throw new ArgumentException($"expected {Inputs} inputs, got {input.Length}.", nameof(input));
        if (output.Length < Outputs) throw new ArgumentException($"output holds {output.Length} values, the network has {Outputs} outputs.", nameof(output));
        int width = MaxWidth;
        if (scratch.Length < 2 * width) throw new ArgumentException($"scratch needs {2 * width} elements.", nameof(scratch));

        Span<T> current = scratch[..width];
        Span<T> next = scratch.Slice(width, width);
        input.CopyTo(current);
        int currentWidth = Inputs;
        foreach (DenseLayer layer in _layers)
        {
            Span<T> z = next[..layer.Outputs];
            // z = W a + b (the batch kernel with one row, so a sample gives the same bits here as in Forward),
            // then a = σ(z) in place.
            Gemm.MultiplyTransposedB<T>(current[..currentWidth], Weights(layer.Index), Biases(layer.Index), z, 1, layer.Outputs, layer.Inputs, T.One, accumulate: false);
            layer.Activation.Forward<T>(z, z, layer.Outputs);
            Span<T> swap = current;
            current = next;
            next = swap;
            currentWidth = layer.Outputs;
        }
        current[..Outputs].CopyTo(output);
    }

    /// <summary>The same network in another number type (float ↔ double).</summary>
    public Network<TOther> Convert<TOther>() where TOther : unmanaged, IFloatingPointIeee754<TOther>
    {
        var copy = new Network<TOther>(Inputs, Specs);
        for (int i = 0; i < Parameters.Length; i++) copy.Parameters[i] = TOther.CreateChecked(Parameters[i]);
        return copy;
    }

    public Network<T> Clone()
    {
        var copy = new Network<T>(Inputs, Specs);
        Parameters.CopyTo(copy.Parameters, 0);
        return copy;
    }
}
