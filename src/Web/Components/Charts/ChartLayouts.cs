using Plotly.Blazor;
using PlotLayout = Plotly.Blazor.Layout;
using Plotly.Blazor.LayoutLib;

namespace BackpropService.Web.Components.Charts;

/// <summary>The charts' shared, quiet look.</summary>
public static class ChartLayouts
{
    /// <param name="logX">A log x axis; otherwise Plotly picks linear for numbers, categories for text.</param>
    public static PlotLayout Lines(string title, string xTitle, string yTitle, bool logY, bool logX = false) => new()
    {
        Title = new Title { Text = title },
        Margin = new Margin { L = 60, R = 20, T = 40, B = 45 },
        PaperBgColor = "#ffffff",
        PlotBgColor = "#ffffff",
        Font = new Font { Family = "system-ui, sans-serif", Size = 12, Color = "#1d2733" },
        XAxis =
        [
            new XAxis
            {
                Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = xTitle },
                GridColor = "#eef1f4",
                Type = logX ? Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Log : null,
            },
        ],
        YAxis =
        [
            new YAxis
            {
                Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = yTitle },
                GridColor = "#eef1f4",
                Type = logY ? Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Log : Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Linear,
            },
        ],
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.25m }],
    };

    public static PlotLayout Heatmap(string title, string xTitle, string yTitle, bool matrix) => new()
    {
        Title = new Title { Text = title },
        Margin = new Margin { L = 70, R = 20, T = 40, B = 55 },
        PaperBgColor = "#ffffff",
        Font = new Font { Family = "system-ui, sans-serif", Size = 12, Color = "#1d2733" },
        XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = xTitle } }],
        YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = yTitle }, AutoRange = matrix ? Plotly.Blazor.LayoutLib.YAxisLib.AutoRangeEnum.Reversed : Plotly.Blazor.LayoutLib.YAxisLib.AutoRangeEnum.True }],
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.2m }],
    };
}
