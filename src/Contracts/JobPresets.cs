namespace BackpropService.Contracts;

/// <summary>
/// The jobs we offer as starting points: Swagger UI shows them as examples of <c>POST /api/jobs</c>, and the
/// dashboard's "New job" form has a button for each of the classification ones. One list, so both stay alike.
/// </summary>
public static class JobPresets
{
    public static JobPreset Xor { get; } = new("xor", "XOR: a tiny network learns a non-linear function in seconds", new SubmitJobRequest
    {
        Name = "xor",
        DatasetId = "xor",
        Layers = [new LayerDefinition(8, Activation.Tanh), new LayerDefinition(2, Activation.Softmax)],
        Cost = Cost.CrossEntropy,
        Optimizer = Optimizer.Adam,
        LearningRate = 0.05,
        BatchSize = 16,
        Epochs = 100,
        Seed = 42,
        ValidationSplit = 0.1,
    });

    public static JobPreset Spirals { get; } = new("spirals", "Two interleaved spirals: needs a deeper network", new SubmitJobRequest
    {
        Name = "spirals",
        DatasetId = "spirals",
        Layers = [new LayerDefinition(32, Activation.Tanh), new LayerDefinition(32, Activation.Tanh), new LayerDefinition(2, Activation.Softmax)],
        Cost = Cost.CrossEntropy,
        Optimizer = Optimizer.Adam,
        LearningRate = 0.01,
        BatchSize = 16,
        Epochs = 300,
        Init = Initialization.Xavier,
        Seed = 42,
        ValidationSplit = 0.1,
        EarlyStoppingPatience = 50,
    });

    /// <summary>
    /// Nielsen's 784-30-10 sigmoid network with quadratic cost and plain SGD (η = 3, m = 10). MNIST is uploaded,
    /// so <see cref="SubmitJobRequest.DatasetId"/> is a placeholder to replace with the upload's id.
    /// </summary>
    public static JobPreset Mnist { get; } = new("mnist", "MNIST digits (upload the IDX files first and put the dataset's id here): Nielsen's classic 784-30-10 network", new SubmitJobRequest
    {
        Name = "digits",
        DatasetId = "<id from POST /api/datasets>",
        Layers = [new LayerDefinition(30, Activation.Sigmoid), new LayerDefinition(10, Activation.Sigmoid)],
        Cost = Cost.Quadratic,
        Optimizer = Optimizer.Sgd,
        LearningRate = 3.0,
        BatchSize = 10,
        Epochs = 30,
        Init = Initialization.Normal,
        Seed = 42,
        ValidationSplit = 0.1,
    });

    /// <summary>
    /// The convolutional network of Nielsen's chapter 6 (two conv + max-pool stages, then 100 relu and 10 softmax;
    /// "W4" in the benchmarks), which gets past 99% on MNIST. Like <see cref="Mnist"/>, the dataset id is a
    /// placeholder: the uploaded IDX images (shape [1, 28, 28]).
    /// </summary>
    public static JobPreset MnistConvolutional { get; } = new("mnist-conv", "MNIST digits with convolutions (upload the IDX files first and put the dataset's id here): conv 20×5×5, pool 2, conv 40×5×5, pool 2, 100 relu, 10 softmax", new SubmitJobRequest
    {
        Name = "digits-conv",
        DatasetId = "<id from POST /api/datasets>",
        Layers =
        [
            new LayerDefinition(null, Activation.Relu) { Type = LayerType.Conv2d, Filters = 20, Kernel = 5 },
            new LayerDefinition(2, null) { Type = LayerType.MaxPool },
            new LayerDefinition(null, Activation.Relu) { Type = LayerType.Conv2d, Filters = 40, Kernel = 5 },
            new LayerDefinition(2, null) { Type = LayerType.MaxPool },
            new LayerDefinition(100, Activation.Relu),
            new LayerDefinition(10, Activation.Softmax),
        ],
        Cost = Cost.CrossEntropy,
        Optimizer = Optimizer.Momentum,
        LearningRate = 0.01,
        Momentum = 0.9,
        BatchSize = 32,
        Epochs = 10,
        Init = Initialization.He,
        Seed = 42,
        ValidationSplit = 0.1,
    });

    public static JobPreset Sine { get; } = new("sine", "Regression: fit y = sin(x)", new SubmitJobRequest
    {
        Name = "sine",
        DatasetId = "sine",
        Layers = [new LayerDefinition(16, Activation.Tanh), new LayerDefinition(1, Activation.Identity)],
        Cost = Cost.Quadratic,
        Optimizer = Optimizer.Adam,
        LearningRate = 0.01,
        BatchSize = 16,
        Epochs = 200,
        Seed = 42,
        ValidationSplit = 0.1,
    });

    public static IReadOnlyList<JobPreset> All { get; } = [Xor, Spirals, Mnist, MnistConvolutional, Sine];
}
