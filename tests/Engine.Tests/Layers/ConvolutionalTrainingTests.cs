using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;
using BackpropService.Engine.Initialization;
using BackpropService.Engine.Layers;
using BackpropService.Engine.Optimizers;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests.Layers;

/// <summary>Training networks with conv2d, maxPool and dropout layers: they learn, deterministically, without allocating per batch.</summary>
public class ConvolutionalTrainingTests
{
    private static readonly Dataset Lines = LinePatterns.Create(600, seed: 3);

    private static TrainingOptions LineOptions(int threads = 1) => new()
    {
        Layers =
        [
            LayerSpec.Conv2d(6, 3, ActivationKind.Relu, padding: 1),
            LayerSpec.MaxPool(2),
            LayerSpec.Dropout(0.25),
            LayerSpec.Dense(3, ActivationKind.Softmax),
        ],
        Cost = CostKind.CrossEntropy,
        Optimizer = OptimizerKind.Adam,
        LearningRate = 0.01,
        BatchSize = 20,
        Epochs = 6,
        Initialization = InitializationKind.He,
        ValidationSplit = 0.2,
        L2 = 0.1f,
        Seed = 21,
        Threads = threads,
    };

    [Fact]
    public void A_small_conv_net_learns_the_direction_of_a_line_anywhere_in_the_image()
    {
        Trainer trainer = Trainer.Start(Lines, LineOptions());
        trainer.Train();
        TrainedModel model = trainer.CreateModel();

        Dataset unseen = LinePatterns.Create(300, seed: 99);
        var output = new float[3];
        int correct = 0;
        for (int s = 0; s < unseen.Samples; s++)
        {
            model.Predict(unseen.Input(s), output);
            if (Array.IndexOf(output, output.Max()) == unseen.Labels![s]) correct++;
        }
        double accuracy = (double)correct / unseen.Samples;
        Assert.True(accuracy >= 0.95, $"accuracy on unseen images {accuracy:P1}");
        Assert.True(trainer.History[^1].ValidationAccuracy >= 0.95, $"validation accuracy {trainer.History[^1].ValidationAccuracy:P1}");
    }

    [Fact]
    public void Gradient_norms_are_reported_for_the_layers_with_weights_in_layer_order()
    {
        TrainingOptions options = LineOptions() with
        {
            Layers =
            [
                LayerSpec.Conv2d(4, 3, ActivationKind.Tanh), LayerSpec.MaxPool(2), LayerSpec.Dropout(0.5),
                LayerSpec.Dense(8, ActivationKind.Relu), LayerSpec.Dense(3, ActivationKind.Softmax),
            ],
            Epochs = 1,
        };
        Trainer trainer = Trainer.Start(Lines, options);
        EpochMetrics metrics = trainer.RunEpoch();

        // conv2d, dense, dense: the pool and the dropout have no weights.
        Assert.Equal(3, metrics.GradientNorms.Length);
        Assert.All(metrics.GradientNorms, norm => Assert.True(norm > 0 && double.IsFinite(norm), $"norm {norm}"));
    }

    [Fact]
    public void One_and_two_threads_give_the_same_weights()
    {
        Dataset mnist = LinePatterns.WithShape(Mnist.Train.Subset(Enumerable.Range(0, 300).ToArray()), new TensorShape(1, 28, 28));
        TrainingOptions options = new()
        {
            Layers =
            [
                LayerSpec.Conv2d(8, 5, ActivationKind.Relu), LayerSpec.MaxPool(2), LayerSpec.Conv2d(6, 3, ActivationKind.Relu, stride: 2, padding: 1),
                LayerSpec.Dropout(0.3), LayerSpec.Dense(32, ActivationKind.Relu), LayerSpec.Dense(10, ActivationKind.Softmax),
            ],
            Cost = CostKind.CrossEntropy,
            Optimizer = OptimizerKind.Momentum,
            LearningRate = 0.02,
            BatchSize = 64,
            Epochs = 2,
            Initialization = InitializationKind.He,
            Seed = 4,
        };
        Trainer single = Trainer.Start(mnist, options with { Threads = 1 });
        single.Train();
        Trainer parallel = Trainer.Start(mnist, options with { Threads = 2 });
        parallel.Train();

        Assert.Equal(single.Network.Parameters, parallel.Network.Parameters);
        Assert.Equal(single.History.Select(m => m.TrainLoss), parallel.History.Select(m => m.TrainLoss));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Resuming_from_a_checkpoint_ends_bit_identical_to_an_uninterrupted_run(int checkpointEpoch)
    {
        Trainer uninterrupted = Trainer.Start(Lines, LineOptions());
        uninterrupted.Train();

        Trainer interrupted = Trainer.Start(Lines, LineOptions());
        while (interrupted.Epoch < checkpointEpoch) interrupted.RunEpoch();
        Trainer resumed = Trainer.Resume(interrupted.CreateCheckpoint(), Lines, interrupted.History);
        resumed.Train();

        Assert.Equal(uninterrupted.Network.Parameters, resumed.Network.Parameters);
        Assert.Equal(
            uninterrupted.History.Select(m => (m.TrainLoss, m.ValidationLoss, m.GradientNorms.Sum())),
            resumed.History.Select(m => (m.TrainLoss, m.ValidationLoss, m.GradientNorms.Sum())));
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights_and_another_seed_other_dropout_masks()
    {
        Trainer first = Trainer.Start(Lines, LineOptions() with { Epochs = 2 });
        first.Train();
        Trainer second = Trainer.Start(Lines, LineOptions() with { Epochs = 2 });
        second.Train();
        Assert.Equal(first.Network.Parameters, second.Network.Parameters);

        var network = new Network<float>(LineOptions().NetworkFor(DataShape.Of(Lines)));
        var layer = (DropoutLayer)network.Layers[2];
        float[] MaskOf(DropoutKey key)
        {
            var mask = new float[20 * layer.Outputs];
            layer.WriteMask<float>(key, 20, mask);
            return mask;
        }
        float[] mask = MaskOf(new DropoutKey(21, 1, 0));
        Assert.Equal(mask, MaskOf(new DropoutKey(21, 1, 0)));
        Assert.NotEqual(mask, MaskOf(new DropoutKey(22, 1, 0)));
        Assert.NotEqual(mask, MaskOf(new DropoutKey(21, 2, 0)));
        Assert.NotEqual(mask, MaskOf(new DropoutKey(21, 1, 1)));
        // Inverted dropout: kept values are scaled by 1/(1 − 0.25); about a quarter of the 1,920 values are dropped.
        Assert.All(mask, m => Assert.True(m == 0 || m == 1 / 0.75f, $"mask value {m}"));
        Assert.InRange(mask.Count(m => m == 0) / (double)mask.Length, 0.2, 0.3);
    }

    [Fact]
    public void Dropout_is_the_identity_in_inference_prediction_and_evaluation()
    {
        var network = new Network<double>(LineOptions().NetworkFor(DataShape.Of(Lines)).Layers is var layers
            ? new NetworkShape(64, layers) { InputShape = LinePatterns.Shape } : null!);
        var random = new Randomness.SeededRandom(1);
        for (int i = 0; i < network.ParameterCount; i++) network.Parameters[i] = random.NextNormal() * 0.3;
        var withoutDropout = new Network<double>(new NetworkShape(64, [network.Specs[0], network.Specs[1], network.Specs[3]]) { InputShape = LinePatterns.Shape });
        network.Parameters.CopyTo(withoutDropout.Parameters, 0);

        double[] inputs = Lines.Inputs.AsSpan(0, 10 * 64).ToArray().Select(v => (double)v).ToArray();
        double[] expected = withoutDropout.Infer(inputs, 10, withoutDropout.CreateWorkspace(10)).ToArray();

        Assert.Equal(expected, network.Infer(inputs, 10, network.CreateWorkspace(10)).ToArray());
        NetworkWorkspace<double> workspace = network.CreateWorkspace(10);
        network.Forward(inputs, 10, workspace);
        Assert.Equal(expected, workspace.Output.ToArray());
        var one = new double[3];
        network.Predict(inputs.AsSpan(0, 64), one, new double[network.PredictScratchLength]);
        Assert.Equal(expected[..3], one);

        // A training pass draws a mask and changes the outputs.
        network.Forward(inputs, 10, workspace, new DropoutKey(1, 1, 0));
        Assert.NotEqual(expected, workspace.Output.ToArray());
    }

    [Fact]
    public void Predict_gives_the_bits_of_a_one_row_pass_for_a_conv_net()
    {
        Trainer trainer = Trainer.Start(Lines, LineOptions() with { Epochs = 1 });
        trainer.Train();
        Network<float> network = trainer.Network;
        const int rows = 40;
        NetworkWorkspace<float> workspace = network.CreateWorkspace(rows);
        float[] batch = network.Infer(Lines.Inputs.AsSpan(0, rows * 64), rows, workspace).ToArray();

        var scratch = new float[network.PredictScratchLength];
        var output = new float[3];
        for (int r = 0; r < rows; r++)
        {
            network.Predict(Lines.Input(r), output, scratch);
            Assert.Equal(network.Infer(Lines.Input(r), 1, workspace).ToArray(), output);
            // A batch of 16 rows or more takes the dense layer's blocked product, whose sums run in another order.
            for (int j = 0; j < 3; j++) Assert.Equal(batch[r * 3 + j], output[j], 1e-5f);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_mini_batch_of_a_conv_net_allocates_nothing(int threads)
    {
        Dataset mnist = LinePatterns.WithShape(Mnist.Train.Subset(Enumerable.Range(0, 128).ToArray()), new TensorShape(1, 28, 28));
        var shape = new NetworkShape(784,
        [
            LayerSpec.Conv2d(8, 5, ActivationKind.Relu), LayerSpec.MaxPool(2), LayerSpec.Conv2d(8, 3, ActivationKind.Tanh, stride: 2, padding: 1),
            LayerSpec.Dropout(0.5), LayerSpec.Dense(20, ActivationKind.Sigmoid), LayerSpec.Dense(10, ActivationKind.Softmax),
        ]) { InputShape = new TensorShape(1, 28, 28) };
        var network = new Network<float>(shape) { Threads = threads };
        Initialization.WeightInitializer.Initialize(network, InitializationKind.He, new Randomness.SeededRandom(1));
        const int rows = 32;
        NetworkWorkspace<float> workspace = network.CreateWorkspace(rows);
        var gradients = new float[network.ParameterCount];
        Optimizer optimizer = Optimizer.Create(OptimizerKind.Adam, network.ParameterCount, 0.9f);
        var regularization = new Regularization(0.1, 0.1, mnist.Samples);
        Cost cost = Cost.For(CostKind.CrossEntropy);

        void Batches(int count)
        {
            for (int b = 0; b < count; b++)
            {
                int start = b % 4 * rows;
                network.Backpropagate(mnist.Inputs.AsSpan(start * 784, rows * 784), mnist.Targets.AsSpan(start * 10, rows * 10), rows, cost,
                    workspace, gradients, new DropoutKey(7, 1, b));
                network.AddPenaltyGradient(regularization, gradients);
                optimizer.Step(network.Parameters, gradients, 0.001f);
                network.Infer(mnist.Inputs.AsSpan(start * 784, rows * 784), rows, workspace);
            }
        }

        Batches(8); // warm-up: JIT, the worker team's threads
        Assert.Equal(0, Allocations.FewestBytes(() => Batches(20)));
    }

    [Fact]
    public void The_footprint_counts_every_buffer_of_the_trainers_workspace()
    {
        TrainingOptions options = LineOptions(threads: 2) with { BatchSize = 300 };
        var data = DataShape.Of(Lines);
        TrainingFootprint footprint = TrainingFootprint.Of(options, data);

        var network = new Network<float>(options.NetworkFor(data)) { Threads = options.Threads };
        NetworkWorkspace<float> workspace = network.CreateWorkspace(footprint.WorkspaceRows);
        long workspaceValues = workspace.WeightedInputs.Concat(workspace.Activations).Concat(workspace.Errors).Concat(workspace.Masks)
            .Distinct(ReferenceEqualityComparer.Instance).Sum(array => (long)((float[])array!).Length)
            + workspace.Winners.Sum(w => (long)w.Length) + workspace.Scratch.Length;

        Assert.True(workspace.Scratch.Length > 0 && workspace.Winners[1].Length > 0 && workspace.Masks[2].Length > 0);
        Assert.Equal(workspaceValues + (long)footprint.BatchRows * (64 + 3) + (long)footprint.ValidationSamples * 3, footprint.ActivationValues);
    }
}
