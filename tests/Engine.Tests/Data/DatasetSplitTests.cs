using BackpropService.Engine.Data;

namespace BackpropService.Engine.Tests.Data;

public class DatasetSplitTests
{
    /// <summary>A dataset whose single feature is the sample's index, so a split can be traced back.</summary>
    private static Dataset Numbered(int samples) => new("numbered", TaskKind.Regression, 1, 1,
        [.. Enumerable.Range(0, samples).Select(i => (float)i)], [.. Enumerable.Range(0, samples).Select(i => (float)-i)]);

    [Fact]
    public void The_parts_are_disjoint_cover_everything_and_have_the_right_sizes()
    {
        (Dataset train, Dataset? validation) = DatasetSplit.Split(Numbered(100), 0.2, seed: 5);

        Assert.NotNull(validation);
        Assert.Equal(80, train.Samples);
        Assert.Equal(20, validation.Samples);
        Assert.Empty(train.Inputs.Intersect(validation.Inputs));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (float)i), train.Inputs.Concat(validation.Inputs).Order());
        for (int i = 0; i < validation.Samples; i++)
            Assert.Equal(-validation.Inputs[i], validation.Targets[i]);
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        var (_, first) = DatasetSplit.Split(Numbered(100), 0.3, seed: 11);
        var (_, again) = DatasetSplit.Split(Numbered(100), 0.3, seed: 11);
        var (_, other) = DatasetSplit.Split(Numbered(100), 0.3, seed: 12);

        Assert.Equal(first!.Inputs, again!.Inputs);
        Assert.NotEqual(first.Inputs, other!.Inputs);
    }

    [Fact]
    public void The_validation_size_is_rounded_to_the_nearest_sample()
    {
        Assert.Equal(3, DatasetSplit.Split(Numbered(10), 0.25, seed: 1).Validation!.Samples);
        Assert.Equal(2, DatasetSplit.Split(Numbered(10), 0.24, seed: 1).Validation!.Samples);
    }

    [Fact]
    public void A_zero_fraction_keeps_all_data_for_training_and_no_validation()
    {
        Dataset data = Numbered(10);

        var (train, validation) = DatasetSplit.Split(data, 0, seed: 1);

        Assert.Same(data, train);
        Assert.Null(validation);
    }

    [Fact]
    public void Classification_labels_and_class_names_follow_their_samples()
    {
        Dataset blobs = SyntheticDatasets.Blobs(90, seed: 2);

        var (train, validation) = DatasetSplit.Split(blobs, 0.5, seed: 3);

        Assert.Equal(blobs.ClassNames, validation!.ClassNames);
        foreach (Dataset part in new[] { train, validation })
            for (int i = 0; i < part.Samples; i++)
                Assert.Equal(1f, part.Target(i)[part.Labels![i]]);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void A_fraction_outside_zero_to_one_is_rejected(double fraction)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSplit.Split(Numbered(10), fraction, seed: 1));
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.97)]
    public void A_fraction_that_would_empty_a_part_is_rejected(double fraction)
    {
        var ex = Assert.Throws<ArgumentException>(() => DatasetSplit.Split(Numbered(10), fraction, seed: 1));

        Assert.Contains("leaves no", ex.Message);
    }
}
