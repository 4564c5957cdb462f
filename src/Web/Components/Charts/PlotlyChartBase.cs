using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Plotly.Blazor;

namespace BackpropService.Web.Components.Charts;

/// <summary>
/// A Plotly chart that redraws (Plotly.react, no reload) when <see cref="Revision"/> changes. Subclasses build
/// <see cref="Layout"/> once and refill <see cref="Traces"/> from their parameters.
/// </summary>
public abstract class PlotlyChartBase : ComponentBase
{
    private int _drawn = -1;
    private bool _drawing;

    [Parameter, EditorRequired] public string Id { get; set; } = "";
    [Parameter] public string Title { get; set; } = "";
    [Parameter] public string YTitle { get; set; } = "";

    /// <summary>Change it to redraw (for example: the number of epochs shown).</summary>
    [Parameter] public int Revision { get; set; }

    protected Config Config { get; } = new() { Responsive = true, DisplayLogo = false, DisplayModeBar = Plotly.Blazor.ConfigLib.DisplayModeBarEnum.False };

    protected Plotly.Blazor.Layout Layout { get; set; } = new();

    /// <summary>What is drawn; refilled from the parameters on every render.</summary>
    protected IList<ITrace> Traces { get; } = new List<ITrace>();

    /// <summary>The rendered chart (set through <c>@ref</c>).</summary>
    protected PlotlyChart? Chart { get; set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _drawn = Revision;
            return;
        }
        // One redraw at a time. A fast job renders once per epoch, faster than the browser can redraw:
        // renders that come while a redraw is in flight only move Revision, and the loop then draws the
        // latest data once, so redraws never pile up on the circuit.
        if (Chart is null || _drawing) return;
        _drawing = true;
        try
        {
            while (_drawn != Revision)
            {
                _drawn = Revision;
                await Chart.React();
            }
        }
        catch (JSDisconnectedException)
        {
            // The browser went away; there is nothing left to draw on.
        }
        finally
        {
            _drawing = false;
        }
    }
}
