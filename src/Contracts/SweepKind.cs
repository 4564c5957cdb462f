namespace BackpropService.Contracts;

/// <summary>How a sweep chose its points: every combination of listed values, or random draws.</summary>
public enum SweepKind
{
    Grid,
    Random,
}
