using System.Text.Json.Serialization;

namespace BackpropService.Contracts;

/// <summary>How gradients become weight updates.</summary>
public enum Optimizer
{
    Sgd,
    Momentum,
    Nesterov,

    [JsonStringEnumMemberName("rmsprop")]
    RmsProp,

    Adam,
}
