namespace BackpropService.Engine.Training;

/// <summary>How the learning rate η changes over the epochs.</summary>
public enum LearningRateScheduleKind
{
    /// <summary>η stays as given.</summary>
    Constant,

    /// <summary>η is multiplied by <see cref="LearningRateSchedule.Factor"/> every <see cref="LearningRateSchedule.StepEpochs"/> epochs.</summary>
    StepDecay,

    /// <summary>
    /// η is multiplied by <see cref="LearningRateSchedule.Factor"/> when the validation loss (the training
    /// loss without validation data) has not improved for <see cref="LearningRateSchedule.Patience"/> epochs.
    /// </summary>
    ReduceOnPlateau,
}
