namespace BackpropService.Contracts;

/// <summary>What a dataset's targets (and so a model's outputs) mean.</summary>
public enum LearningTask
{
    Classification,
    Regression,
}
