namespace BackpropService.Web.Components.Pages.Explain;

/// <summary>
/// What the details panel explains: neuron <paramref name="Neuron"/> of column <paramref name="Column"/> (0: the inputs,
/// c: layer c − 1 of the request), or, with <paramref name="From"/>, the edge into it from neuron <paramref name="From"/>
/// of the column before.
/// </summary>
public sealed record DiagramSelection(int Column, int Neuron, int? From = null)
{
    public bool IsEdge => From is not null;
}
