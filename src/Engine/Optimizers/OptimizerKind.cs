namespace BackpropService.Engine.Optimizers;

/// <summary>The rules that turn a gradient into a parameter update.</summary>
public enum OptimizerKind
{
    Sgd,
    Momentum,
    Nesterov,
    RmsProp,
    Adam,
}
