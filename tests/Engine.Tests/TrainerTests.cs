using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;
using BackpropService.Engine.Initialization;
using BackpropService.Engine.Layers;
using BackpropService.Engine.Optimizers;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests;

/// <summary>What the trainer reports per epoch, and how it stops: cancellation, divergence, early stopping, schedules.</summary>
public class TrainerTests
{
    private static Dataset Circles => SyntheticDatasets.Create("circles", 400, seed: 9);

    private static TrainingOptions Options => new()
    {
        Layers = [new LayerSpec(16, ActivationKind.Tanh), new LayerSpec(2, ActivationKind.Softmax)],
        Cost = CostKind.CrossEntropy,
        LearningRate = 0.3f,
        BatchSize = 10,
        Epochs = 5,
        Initialization = InitializationKind.Xavier,
        ValidationSplit = 0.25,
    };

    [Fact]
    public void Each_epoch_reports_losses_accuracies_learning_rate_gradient_norms_and_time()
    {
        Trainer trainer = Trainer.Start(Circles, Options);
        var reported = new List<EpochMetrics>();
        trainer.Train(reported.Add);

        Assert.Equal(Enumerable.Range(1, 5), reported.Select(m => m.Epoch));
        Assert.Equal(reported, trainer.History);
        Assert.Equal(300, trainer.TrainingSamples);
        Assert.Equal(100, trainer.ValidationSamples);
        foreach (EpochMetrics m in reported)
        {
            Assert.InRange(m.TrainLoss, 0, 10);
            Assert.InRange(m.TrainAccuracy!.Value, 0, 1);
            Assert.InRange(m.ValidationLoss!.Value, 0, 10);
            Assert.InRange(m.ValidationAccuracy!.Value, 0, 1);
            Assert.Equal(0.3, m.LearningRate, 6);
            Assert.Equal(2, m.GradientNorms.Length);
            Assert.All(m.GradientNorms, n => Assert.True(n > 0 && double.IsFinite(n)));
            Assert.True(m.Seconds >= 0);
        }
        Assert.True(reported[^1].TrainLoss < reported[0].TrainLoss, "training should lower the loss");
        Assert.True(trainer.IsFinished);
    }

    [Fact]
    public void Regression_reports_no_accuracy()
    {
        Trainer trainer = Trainer.Start(SyntheticDatasets.Create("sine", 100, seed: 1), new TrainingOptions
        {
            Layers = [new LayerSpec(8, ActivationKind.Tanh), new LayerSpec(1, ActivationKind.Identity)],
            Epochs = 1,
        });
        EpochMetrics metrics = trainer.RunEpoch();
        Assert.Null(metrics.TrainAccuracy);
        Assert.Null(metrics.ValidationAccuracy);
        Assert.NotNull(metrics.ValidationLoss);
    }

    [Fact]
    public void Cancellation_stops_between_mini_batches_and_keeps_the_last_completed_epoch()
    {
        Trainer trainer = Trainer.Start(Circles, Options with { ValidationSplit = 0 });
        trainer.RunEpoch();
        float[] afterFirstEpoch = trainer.Network.Parameters.ToArray();

        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.RunEpoch(cancellation.Token));

        Assert.Equal(1, trainer.Epoch);
        Assert.Equal(afterFirstEpoch, trainer.Network.Parameters);
        Assert.Equal(afterFirstEpoch, trainer.CreateModel().Network.Parameters);
        Assert.Throws<InvalidOperationException>(() => trainer.RunEpoch());
    }

    [Fact]
    public void A_diverging_run_fails_with_an_error_that_suggests_a_smaller_learning_rate()
    {
        Trainer trainer = Trainer.Start(SyntheticDatasets.Create("sine", 200, seed: 1), new TrainingOptions
        {
            Layers = [new LayerSpec(32, ActivationKind.Relu), new LayerSpec(1, ActivationKind.Identity)],
            LearningRate = 1000f,
            Initialization = InitializationKind.Normal,
            Epochs = 50,
        });
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Train());
        Assert.Contains("NaN or infinite", error.Message);
        Assert.Contains("smaller learning rate", error.Message);
    }

    [Fact]
    public void Early_stopping_ends_training_and_restores_the_best_weights()
    {
        // A large network on few noisy samples overfits: validation loss turns up while training loss falls.
        Dataset noisy = SyntheticDatasets.Create("moons", 60, seed: 2);
        Trainer trainer = Trainer.Start(noisy, new TrainingOptions
        {
            Layers = [new LayerSpec(128, ActivationKind.Relu), new LayerSpec(128, ActivationKind.Relu), new LayerSpec(2, ActivationKind.Softmax)],
            Cost = CostKind.CrossEntropy,
            Optimizer = OptimizerKind.Adam,
            LearningRate = 0.05f,
            BatchSize = 8,
            Epochs = 500,
            ValidationSplit = 0.5,
            EarlyStoppingPatience = 5,
            Initialization = InitializationKind.He,
        });
        trainer.Train();

        Assert.True(trainer.StoppedEarly);
        Assert.True(trainer.Epoch < 500);
        int best = trainer.History.MinBy(m => m.ValidationLoss!.Value)!.Epoch;
        Assert.Equal(best + 5, trainer.Epoch);

        // The network now holds the best epoch's weights: its validation loss is the best one seen.
        Trainer replay = Trainer.Start(noisy, trainer.Options with { EarlyStoppingPatience = null, Epochs = best });
        replay.Train();
        Assert.Equal(replay.Network.Parameters, trainer.Network.Parameters);
    }

    [Fact]
    public void Step_decay_multiplies_the_learning_rate_every_step()
    {
        Trainer trainer = Trainer.Start(Circles, Options with
        {
            Epochs = 7,
            Schedule = new LearningRateSchedule { Kind = LearningRateScheduleKind.StepDecay, StepEpochs = 3, Factor = 0.5 },
        });
        trainer.Train();
        Assert.Equal(new[] { 0.3, 0.3, 0.3, 0.15, 0.15, 0.15, 0.075 }, trainer.History.Select(m => Math.Round(m.LearningRate, 6)));
    }

    [Fact]
    public void Reduce_on_plateau_lowers_the_learning_rate_when_the_loss_stops_improving()
    {
        // A learning rate this large makes the loss bounce, so plateaus occur.
        Trainer trainer = Trainer.Start(Circles, Options with
        {
            Epochs = 30,
            LearningRate = 5f,
            Schedule = new LearningRateSchedule { Kind = LearningRateScheduleKind.ReduceOnPlateau, Patience = 2, Factor = 0.5, MinLearningRate = 0.1 },
        });
        trainer.Train();
        double[] rates = trainer.History.Select(m => m.LearningRate).ToArray();
        Assert.True(rates[^1] < rates[0], "the rate should have been reduced at least once");
        for (int i = 1; i < rates.Length; i++) Assert.True(rates[i] <= rates[i - 1], "the rate never goes back up");
        Assert.True(rates[^1] >= 0.1 - 1e-9, "the rate never goes below the minimum");
    }

    [Fact]
    public void A_batch_larger_than_the_data_is_one_full_batch_step_per_epoch()
    {
        TrainingOptions options = Options with { BatchSize = 100_000, ValidationSplit = 0, Epochs = 1 };
        Trainer trainer = Trainer.Start(Circles, options);
        float[] before = trainer.Network.Parameters.ToArray();
        trainer.Train();

        // The same step by hand: the gradient of the mean cost over all 400 samples, then θ ← θ − η∇C.
        Network<float> network = Trainer.Start(Circles, options).Network;
        Assert.Equal(before, network.Parameters);
        var gradients = new float[network.ParameterCount];
        network.Backpropagate(Circles.Inputs, Circles.Targets, Circles.Samples, Cost.For(CostKind.CrossEntropy), network.CreateWorkspace(Circles.Samples), gradients);
        new SgdOptimizer().Step(network.Parameters, gradients, (float)options.LearningRate);
        // Equal up to float rounding: the trainer sums the samples in its shuffled order.
        for (int i = 0; i < network.ParameterCount; i++)
            Assert.Equal(network.Parameters[i], trainer.Network.Parameters[i], 1e-6);
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Momentum)]
    public void L2_follows_the_book_w_becomes_one_minus_eta_lambda_over_n_times_w_minus_the_data_step(OptimizerKind optimizer)
    {
        // One step from the same start with λ = 0 and with λ: the difference is exactly (ηλ/n)·w on weights, 0 on biases.
        const float lambda = 3f;
        TrainingOptions options = Options with { BatchSize = 100_000, ValidationSplit = 0, Epochs = 1, Optimizer = optimizer };
        float[] start = Trainer.Start(Circles, options).Network.Parameters.ToArray();
        Trainer plain = Trainer.Start(Circles, options);
        plain.Train();
        Trainer regularized = Trainer.Start(Circles, options with { L2 = lambda });
        regularized.Train();

        double shrink = options.LearningRate * lambda / Circles.Samples; // ηλ/n
        Network<float> network = regularized.Network;
        foreach (Layer layer in network.Layers)
        {
            for (int i = layer.WeightOffset; i < layer.BiasOffset; i++)
                Assert.Equal(plain.Network.Parameters[i] - shrink * start[i], network.Parameters[i], 1e-6);
            for (int i = layer.BiasOffset; i < layer.BiasOffset + layer.Outputs; i++)
                Assert.Equal(plain.Network.Parameters[i], network.Parameters[i]);
        }
    }

    [Fact]
    public void L1_subtracts_eta_lambda_over_n_times_the_sign_of_each_weight()
    {
        const float lambda = 3f;
        TrainingOptions options = Options with { BatchSize = 100_000, ValidationSplit = 0, Epochs = 1 };
        float[] start = Trainer.Start(Circles, options).Network.Parameters.ToArray();
        Trainer plain = Trainer.Start(Circles, options);
        plain.Train();
        Trainer regularized = Trainer.Start(Circles, options with { L1 = lambda });
        regularized.Train();

        double step = options.LearningRate * lambda / Circles.Samples; // ηλ/n
        Layer first = regularized.Network.Layers[0];
        for (int i = first.WeightOffset; i < first.BiasOffset; i++)
            Assert.Equal(plain.Network.Parameters[i] - step * Math.Sign(start[i]), regularized.Network.Parameters[i], 1e-6);
    }

    [Fact]
    public void Gradient_norms_report_the_data_gradient_without_the_penalty()
    {
        TrainingOptions options = Options with { BatchSize = 100_000, ValidationSplit = 0, Epochs = 1 };
        Trainer plain = Trainer.Start(Circles, options);
        Trainer regularized = Trainer.Start(Circles, options with { L2 = 50f });
        Assert.Equal(plain.RunEpoch().GradientNorms, regularized.RunEpoch().GradientNorms);
    }

    [Theory]
    [InlineData(0.0f, 0.0f)]
    [InlineData(5.0f, 0.0f)]
    [InlineData(0.0f, 5.0f)]
    public void Regularization_shrinks_the_weights(float l2, float l1)
    {
        Trainer plain = Trainer.Start(Circles, Options with { ValidationSplit = 0 });
        plain.Train();
        Trainer regularized = Trainer.Start(Circles, Options with { ValidationSplit = 0, L2 = l2, L1 = l1 });
        regularized.Train();

        double plainNorm = plain.Network.Weights(0).ToArray().Sum(w => (double)w * w);
        double regularizedNorm = regularized.Network.Weights(0).ToArray().Sum(w => (double)w * w);
        if (l2 == 0 && l1 == 0) Assert.Equal(plainNorm, regularizedNorm);
        else Assert.True(regularizedNorm < plainNorm, $"‖W‖² {regularizedNorm} should be below {plainNorm}");
    }
}
