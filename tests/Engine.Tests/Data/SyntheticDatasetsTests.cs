using BackpropService.Engine.Data;

namespace BackpropService.Engine.Tests.Data;

public class SyntheticDatasetsTests
{
    public static TheoryData<string> AllNames => [.. SyntheticDatasets.Names];

    [Fact]
    public void The_built_in_names_are_the_documented_ids()
    {
        Assert.Equal(["xor", "circles", "moons", "spirals", "blobs", "sine"], SyntheticDatasets.Names);
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void The_same_seed_gives_identical_data(string name)
    {
        Dataset first = SyntheticDatasets.Create(name, 200, seed: 7);
        Dataset second = SyntheticDatasets.Create(name, 200, seed: 7);

        Assert.Equal(first.Inputs, second.Inputs);
        Assert.Equal(first.Targets, second.Targets);
        Assert.Equal(first.Labels, second.Labels);
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void A_different_seed_gives_different_data(string name)
    {
        Dataset first = SyntheticDatasets.Create(name, 200, seed: 7);
        Dataset second = SyntheticDatasets.Create(name, 200, seed: 8);

        Assert.NotEqual(first.Inputs, second.Inputs);
    }

    [Theory]
    [InlineData("xor", 2)]
    [InlineData("circles", 2)]
    [InlineData("moons", 2)]
    [InlineData("spirals", 2)]
    [InlineData("blobs", 3)]
    public void Classification_sets_have_two_finite_features_and_balanced_classes(string name, int classes)
    {
        Dataset data = SyntheticDatasets.Create(name, 300);

        Assert.Equal(name, data.Name);
        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Equal(300, data.Samples);
        Assert.Equal(2, data.Features);
        Assert.Equal(classes, data.Outputs);
        Assert.Equal(classes, data.ClassNames!.Count);
        Assert.All(data.Inputs, x => Assert.True(float.IsFinite(x) && Math.Abs(x) < 3));
        int[] counts = [.. Enumerable.Range(0, classes).Select(c => data.Labels!.Count(l => l == c))];
        Assert.All(counts, count => Assert.InRange(count, 300 / classes, 300 / classes + 1));
    }

    [Fact]
    public void Sine_is_a_one_feature_regression_close_to_the_sine_curve()
    {
        Dataset data = SyntheticDatasets.Create("sine", 400);

        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Equal((400, 1, 1), (data.Samples, data.Features, data.Outputs));
        Assert.Null(data.Labels);
        for (int i = 0; i < data.Samples; i++)
        {
            Assert.InRange(data.Inputs[i], -MathF.PI, MathF.PI);
            Assert.InRange(data.Targets[i] - MathF.Sin(data.Inputs[i]), -0.3f, 0.3f);
        }
    }

    [Fact]
    public void Xor_classes_follow_the_signs_of_the_coordinates()
    {
        Dataset data = SyntheticDatasets.Xor(400, seed: 3);

        int agreeing = Enumerable.Range(0, data.Samples)
            .Count(i => (data.Inputs[2 * i] * data.Inputs[2 * i + 1] < 0 ? 1 : 0) == data.Labels![i]);
        Assert.True(agreeing >= 396, $"only {agreeing} of 400 points lie in their class's quadrants");
    }

    [Fact]
    public void Circles_put_the_inner_class_closer_to_the_centre()
    {
        Dataset data = SyntheticDatasets.Circles(400, seed: 3);

        double MeanRadius(int label) => Enumerable.Range(0, data.Samples).Where(i => data.Labels![i] == label)
            .Average(i => Math.Sqrt(data.Inputs[2 * i] * data.Inputs[2 * i] + data.Inputs[2 * i + 1] * data.Inputs[2 * i + 1]));
        Assert.InRange(MeanRadius(0), 0.4, 0.6);
        Assert.InRange(MeanRadius(1), 0.9, 1.1);
    }

    [Fact]
    public void Default_sample_count_and_seed_are_used_when_not_given()
    {
        Dataset data = SyntheticDatasets.Create("MOONS");

        Assert.Equal(SyntheticDatasets.DefaultSamples, data.Samples);
        Assert.Equal(SyntheticDatasets.Moons(SyntheticDatasets.DefaultSamples, 42).Inputs, data.Inputs);
    }

    [Fact]
    public void An_unknown_name_lists_the_accepted_names()
    {
        var ex = Assert.Throws<ArgumentException>(() => SyntheticDatasets.Create("swirls"));

        Assert.Contains("swirls", ex.Message);
        Assert.Contains("xor, circles, moons, spirals, blobs, sine", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(SyntheticDatasets.MaxSamples + 1)]
    public void An_impossible_sample_count_is_rejected(int samples)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticDatasets.Create("circles", samples));
    }
}
