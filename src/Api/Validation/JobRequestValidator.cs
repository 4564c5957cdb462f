using BackpropService.Api.Mapping;
using BackpropService.Api.Options;
using BackpropService.Contracts;
using BackpropService.Engine.Training;

namespace BackpropService.Api.Validation;

/// <summary>
/// Checks a job request field by field before anything is stored. The shape and the service's limits
/// are checked here; the engine's <see cref="TrainingOptions.Validate"/> has the last word on what can
/// train (it names the field it rejects too).
/// </summary>
public static class JobRequestValidator
{
    /// <summary>Checks what can be checked without the dataset; returns the options with defaults filled in.</summary>
    public static JobOptions? ValidateShape(SubmitJobRequest request, ServiceLimits limits, ValidationErrors errors)
    {
        if (request.Name is { Length: > ServiceLimits.MaxNameLength })
            errors.Add("name", $"The name may have at most {ServiceLimits.MaxNameLength} characters.");
        if (string.IsNullOrWhiteSpace(request.DatasetId))
            errors.Add("datasetId", "Required: the id of an uploaded or built-in dataset (GET /api/datasets lists them).");

        var layers = new List<LayerShape>();
        if (request.Layers is null || request.Layers.Count == 0)
        {
            errors.Add("layers", "Required: at least the output layer, e.g. [{ \"size\": 10, \"activation\": \"sigmoid\" }].");
        }
        else if (request.Layers.Count > limits.MaxLayers)
        {
            errors.Add("layers", $"At most {limits.MaxLayers} layers are allowed, got {request.Layers.Count}.");
        }
        else
        {
            for (int i = 0; i < request.Layers.Count; i++)
            {
                var layer = request.Layers[i];
                if (layer is null)
                {
                    errors.Add($"layers[{i}]", "The layer is missing: give { \"size\": n, \"activation\": \"...\" }.");
                    continue;
                }
                if (layer.Size is null)
                    errors.Add($"layers[{i}].size", "Required: the number of neurons.");
                else if (layer.Size < 1 || layer.Size > limits.MaxLayerSize)
                    errors.Add($"layers[{i}].size", $"The size must be between 1 and {limits.MaxLayerSize}, got {layer.Size}.");
                if (layer.Activation is null)
                    errors.Add($"layers[{i}].activation", "Required: one of identity, sigmoid, tanh, relu, leakyRelu, softmax.");
                else if (layer.Activation == Activation.Softmax && i != request.Layers.Count - 1)
                    errors.Add($"layers[{i}].activation", "Softmax is only allowed on the output (last) layer.");
                if (layer.Size is { } size && layer.Activation is { } activation)
                    layers.Add(new LayerShape(size, activation));
            }
        }

        if (request.Epochs is null)
            errors.Add("epochs", "Required: how many passes over the training data.");
        else if (request.Epochs < 1 || request.Epochs > limits.MaxEpochs)
            errors.Add("epochs", $"Epochs must be between 1 and {limits.MaxEpochs}, got {request.Epochs}.");

        var options = new JobOptions(
            layers,
            request.Cost ?? JobDefaults.Cost,
            request.Optimizer ?? JobDefaults.Optimizer,
            request.LearningRate ?? JobDefaults.LearningRate,
            request.Momentum ?? JobDefaults.Momentum,
            request.BatchSize ?? JobDefaults.BatchSize,
            request.Epochs ?? 1,
            request.L2 ?? JobDefaults.L2,
            request.L1 ?? JobDefaults.L1,
            request.Init ?? JobDefaults.Init,
            request.Seed ?? JobDefaults.Seed,
            request.ValidationSplit ?? JobDefaults.ValidationSplit,
            request.EarlyStoppingPatience,
            request.Normalize ?? JobDefaults.Normalize);

        if (!double.IsFinite(options.LearningRate) || options.LearningRate <= 0 || options.LearningRate > 1000)
            errors.Add("learningRate", $"The learning rate must be greater than 0 and at most 1000, got {options.LearningRate}.");
        if (!double.IsFinite(options.Momentum) || options.Momentum < 0 || options.Momentum >= 1)
            errors.Add("momentum", $"Momentum must be in [0, 1), got {options.Momentum}.");
        if (options.BatchSize < 1 || options.BatchSize > TrainingOptions.MaxBatchSize)
            errors.Add("batchSize", $"The batch size must be between 1 and {TrainingOptions.MaxBatchSize}, got {options.BatchSize}.");
        if (!double.IsFinite(options.L2) || options.L2 < 0)
            errors.Add("l2", $"λ must be a finite number ≥ 0, got {options.L2}.");
        if (!double.IsFinite(options.L1) || options.L1 < 0)
            errors.Add("l1", $"λ must be a finite number ≥ 0, got {options.L1}.");
        if (!double.IsFinite(options.ValidationSplit) || options.ValidationSplit < 0 || options.ValidationSplit >= 1)
            errors.Add("validationSplit", $"The validation split must be in [0, 1), got {options.ValidationSplit}.");
        if (options.EarlyStoppingPatience is < 1)
            errors.Add("earlyStoppingPatience", $"Patience must be at least 1 epoch, got {options.EarlyStoppingPatience}.");

        return errors.Any ? null : options;
    }

    /// <summary>Checks the options against the dataset, the parameter limit and the engine.</summary>
    public static void ValidateForDataset(JobOptions options, DatasetInfo dataset, ServiceLimits limits, int threads, ValidationErrors errors)
    {
        int last = options.Layers.Count - 1;
        if (options.Layers[last].Size != dataset.Outputs)
        {
            errors.Add($"layers[{last}].size",
                $"The output layer must have {dataset.Outputs} neurons to match dataset '{dataset.Id}' ({dataset.Outputs} outputs), got {options.Layers[last].Size}.");
            return;
        }

        long parameters = 0;
        int inputs = dataset.Features;
        foreach (var layer in options.Layers)
        {
            parameters += ((long)inputs + 1) * layer.Size; // weights w^l_jk plus biases b^l_j
            inputs = layer.Size;
        }
        if (parameters > limits.MaxParameters)
        {
            errors.Add("layers", $"The network would have {parameters:N0} weights and biases; the limit is {limits.MaxParameters:N0}. Use fewer or smaller layers.");
            return;
        }

        // The engine's DatasetSplit refuses a split that leaves either part empty; say so before the job is queued.
        int validation = ValidationSamples(dataset.Samples, options.ValidationSplit);
        if (options.ValidationSplit > 0 && (validation < 1 || validation > dataset.Samples - 1))
        {
            errors.Add("validationSplit",
                $"A validation split of {options.ValidationSplit} of the {dataset.Samples:N0} samples of dataset '{dataset.Id}' holds out {validation:N0} " +
                $"(round({dataset.Samples:N0} × {options.ValidationSplit})), which leaves {(validation < 1 ? "no validation" : "no training")} samples. " +
                "Choose another split, 0 for no validation, or use more data.");
            return;
        }

        // The trainer's buffers (see Trainer's constructor): a workspace of max(batch, 256) rows holding
        // z, a and δ for every layer, the batch's inputs and targets, and the validation set's outputs.
        long batch = Math.Max(1, Math.Min(options.BatchSize, dataset.Samples - validation));
        long neurons = options.Layers.Sum(l => (long)l.Size);
        long workspaceRows = Math.Max(batch, TrainerEvaluationRows);
        long activations = workspaceRows * neurons * 3 + batch * ((long)dataset.Features + dataset.Outputs) + (long)validation * dataset.Outputs;
        if (activations > limits.MaxActivationValues)
        {
            errors.Add("batchSize",
                $"Training would hold {activations:N0} values in memory (max(batch {batch:N0}, {TrainerEvaluationRows}) rows × {neurons:N0} neurons × 3, " +
                $"plus the batch's inputs and targets and the validation outputs); the limit is {limits.MaxActivationValues:N0}. " +
                "Use a smaller batch size or narrower layers.");
            return;
        }

        try
        {
            options.ToEngine(threads).Validate(dataset.Features, dataset.Outputs);
        }
        catch (ArgumentException e)
        {
            var reason = e is TrainingOptionsException t ? t.Reason : e.Message;
            errors.Add(e.ParamName ?? "body", Sentence(reason));
        }
    }

    /// <summary>Rows the engine's trainer evaluates at once; its workspace is never smaller.</summary>
    private const int TrainerEvaluationRows = 256;

    /// <summary>Samples the engine's DatasetSplit holds out: round(n · split), halves away from zero; 0 without a split.</summary>
    private static int ValidationSamples(int samples, double split) =>
        split > 0 ? (int)Math.Round(samples * split, MidpointRounding.AwayFromZero) : 0;

    private static string Sentence(string reason) =>
        reason.Length == 0 ? reason : char.ToUpperInvariant(reason[0]) + reason[1..] + (reason.EndsWith('.') ? "" : ".");
}
