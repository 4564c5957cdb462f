namespace BackpropService.Contracts;

/// <summary>Input normalization, fitted on the training data, stored with the model and applied by predict.</summary>
public enum Normalization
{
    None,
    MinMax,
    Standard,
}
