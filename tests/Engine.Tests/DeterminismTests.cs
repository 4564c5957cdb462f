using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;
using BackpropService.Engine.Initialization;
using BackpropService.Engine.Optimizers;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests;

/// <summary>Same seed, same weights, bit for bit; and a run resumed from a checkpoint ends where an uninterrupted one does.</summary>
public class DeterminismTests
{
    private static TrainingOptions Options(OptimizerKind optimizer, int threads = 1) => new()
    {
        Layers = [new LayerSpec(64, ActivationKind.Relu), new LayerSpec(32, ActivationKind.Tanh), new LayerSpec(3, ActivationKind.Softmax)],
        Cost = CostKind.CrossEntropy,
        Optimizer = optimizer,
        LearningRate = optimizer is OptimizerKind.Adam or OptimizerKind.Rmsprop ? 0.01f : 0.1f,
        BatchSize = 20,
        Epochs = 6,
        L2 = 0.5f,
        Initialization = InitializationKind.He,
        ValidationSplit = 0.2,
        Normalization = NormalizationKind.Standard,
        Schedule = new LearningRateSchedule { Kind = LearningRateScheduleKind.ReduceOnPlateau, Patience = 1, Factor = 0.5 },
        Seed = 11,
        Threads = threads,
    };

    private static Dataset Blobs => SyntheticDatasets.Create("blobs", 300, seed: 8);

    [Theory]
    [MemberData(nameof(EveryOptimizer.Kinds), MemberType = typeof(EveryOptimizer))]
    public void Two_runs_with_one_seed_give_identical_weights(OptimizerKind optimizer)
    {
        Trainer first = Trainer.Start(Blobs, Options(optimizer));
        first.Train();
        Trainer second = Trainer.Start(Blobs, Options(optimizer));
        second.Train();

        Assert.Equal(first.Network.Parameters, second.Network.Parameters);
        Assert.Equal(first.CreateModel().ToBytes(), second.CreateModel().ToBytes());
    }

    [Fact]
    public void A_different_seed_gives_different_weights()
    {
        Trainer first = Trainer.Start(Blobs, Options(OptimizerKind.Sgd));
        first.Train();
        Trainer second = Trainer.Start(Blobs, Options(OptimizerKind.Sgd) with { Seed = 12 });
        second.Train();
        Assert.NotEqual(first.Network.Parameters, second.Network.Parameters);
    }

    [Fact]
    public void Several_threads_give_the_same_weights_as_one()
    {
        Dataset mnist = Mnist.Train.Subset(Enumerable.Range(0, 1000).ToArray());
        TrainingOptions options = new()
        {
            Layers = [new LayerSpec(256, ActivationKind.Relu), new LayerSpec(10, ActivationKind.Softmax)],
            Cost = CostKind.CrossEntropy,
            Optimizer = OptimizerKind.Momentum,
            LearningRate = 0.05f,
            BatchSize = 128,
            Epochs = 2,
            Initialization = InitializationKind.He,
            Seed = 4,
        };
        Trainer single = Trainer.Start(mnist, options with { Threads = 1 });
        single.Train();
        Trainer parallel = Trainer.Start(mnist, options with { Threads = 2 });
        parallel.Train();
        Assert.Equal(single.Network.Parameters, parallel.Network.Parameters);
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, 1)]
    [InlineData(OptimizerKind.Momentum, 3)]
    [InlineData(OptimizerKind.Adam, 2)]
    [InlineData(OptimizerKind.Rmsprop, 5)]
    public void Resuming_from_a_checkpoint_ends_bit_identical_to_an_uninterrupted_run(OptimizerKind optimizer, int checkpointEpoch)
    {
        Trainer uninterrupted = Trainer.Start(Blobs, Options(optimizer));
        uninterrupted.Train();

        Trainer interrupted = Trainer.Start(Blobs, Options(optimizer));
        while (interrupted.Epoch < checkpointEpoch) interrupted.RunEpoch();
        byte[] checkpoint = interrupted.CreateCheckpoint();

        Trainer resumed = Trainer.Resume(checkpoint, Blobs, interrupted.History);
        Assert.Equal(checkpointEpoch, resumed.Epoch);
        Assert.Equal(checkpointEpoch, resumed.History.Count);
        resumed.Train();

        Assert.Equal(uninterrupted.Network.Parameters, resumed.Network.Parameters);
        Assert.Equal(uninterrupted.CreateModel().ToBytes(), resumed.CreateModel().ToBytes());
        Assert.Equal(
            uninterrupted.History.Select(m => (m.TrainLoss, m.ValidationLoss, m.LearningRate)),
            resumed.History.Select(m => (m.TrainLoss, m.ValidationLoss, m.LearningRate)));
    }

    [Fact]
    public void A_checkpoint_is_refused_for_other_data_or_when_damaged()
    {
        Trainer trainer = Trainer.Start(Blobs, Options(OptimizerKind.Adam));
        trainer.RunEpoch();
        byte[] checkpoint = trainer.CreateCheckpoint();

        var otherData = Assert.Throws<DataFormatException>(() => Trainer.Resume(checkpoint, SyntheticDatasets.Create("blobs", 200, seed: 8)));
        Assert.Contains("300", otherData.Message);

        checkpoint[checkpoint.Length / 2] ^= 0x40;
        var damaged = Assert.Throws<DataFormatException>(() => Trainer.Resume(checkpoint, Blobs));
        Assert.Contains("corrupt", damaged.Message);
    }

    [Fact]
    public void A_checkpoint_does_not_grow_with_the_number_of_epochs()
    {
        Trainer trainer = Trainer.Start(Blobs, Options(OptimizerKind.Sgd) with { Epochs = 30 });
        trainer.RunEpoch();
        int afterOne = trainer.CreateCheckpoint().Length;
        while (!trainer.IsFinished) trainer.RunEpoch();
        Assert.Equal(afterOne, trainer.CreateCheckpoint().Length);
    }

    [Fact]
    public void A_history_that_is_not_the_checkpoints_epochs_is_refused()
    {
        Trainer trainer = Trainer.Start(Blobs, Options(OptimizerKind.Sgd));
        trainer.RunEpoch();
        trainer.RunEpoch();
        byte[] checkpoint = trainer.CreateCheckpoint();
        var error = Assert.Throws<ArgumentException>(() => Trainer.Resume(checkpoint, Blobs, trainer.History.Take(1)));
        Assert.Contains("epochs 1 to 2", error.Message);
    }

    [Fact]
    public void The_current_model_read_from_a_checkpoint_has_the_last_epochs_weights_and_the_runs_normalization()
    {
        Trainer trainer = Trainer.Start(Blobs, Options(OptimizerKind.Momentum));
        for (int epoch = 0; epoch < 3; epoch++) trainer.RunEpoch();
        byte[] checkpoint = trainer.CreateCheckpoint();

        TrainedModel current = Trainer.ReadCurrentModel(checkpoint, Blobs);

        TrainedModel best = trainer.CreateModel();
        var expected = new TrainedModel(trainer.Network.Clone(), best.Normalizer, best.Task, best.ClassNames, best.Cost, best.Options);
        Assert.Equal(trainer.Network.Parameters, current.Network.Parameters);
        Assert.Equal(expected.ToBytes(), current.ToBytes());
        Assert.Throws<DataFormatException>(() => Trainer.ReadCurrentModel(checkpoint, SyntheticDatasets.Create("blobs", 200, seed: 8)));
    }
}
