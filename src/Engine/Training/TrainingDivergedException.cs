namespace BackpropService.Engine.Training;

/// <summary>The loss became NaN or infinite: training cannot go on.</summary>
public sealed class TrainingDivergedException : Exception
{
    public TrainingDivergedException(int epoch, int batch, double learningRate)
        : base($"Training diverged in epoch {epoch}, mini-batch {batch}: the loss became NaN or infinite. " +
               $"Try a smaller learning rate than {learningRate:G4} (for example a tenth of it), normalized inputs, or a different initialization.")
    {
        Epoch = epoch;
    }

    public TrainingDivergedException() { }

    public TrainingDivergedException(string message) : base(message) { }

    public TrainingDivergedException(string message, Exception inner) : base(message, inner) { }

    public int Epoch { get; }
}
