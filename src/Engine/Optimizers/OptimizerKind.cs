namespace BackpropService.Engine.Optimizers;

/// <summary>The rules that turn a gradient into a parameter update.</summary>
public enum OptimizerKind
{
    Sgd,
    Momentum,
    Nesterov,

    /// <summary>RMSProp, spelled as one word so that <see cref="EnumNames"/> names it as users type it: <c>rmsprop</c>.</summary>
    Rmsprop,
    Adam,
}
