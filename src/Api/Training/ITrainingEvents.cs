namespace BackpropService.Api.Training;

/// <summary>The in-process stream of job and epoch events.</summary>
public interface ITrainingEvents
{
    /// <summary>Hands the event to every subscriber; never blocks the publisher.</summary>
    void Publish(TrainingEvent trainingEvent);

    /// <summary>Starts receiving events published from now on; dispose to stop.</summary>
    TrainingEventSubscription Subscribe();
}
