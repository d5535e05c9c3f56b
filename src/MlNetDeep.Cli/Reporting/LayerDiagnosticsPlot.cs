using ScottPlot;

namespace MlNetDeep.Cli.Reporting;

/// <summary>
/// Draws a model's training diagnostics in two panels, one line per hidden layer: the activation standard deviation
/// per epoch (top, epoch 0 is the network as initialized) and the gradient norm per epoch (bottom, log scale; a norm of
/// 0 is drawn at <see cref="Floor"/>, NaN norms are left out).
/// </summary>
internal static class LayerDiagnosticsPlot
{
    /// <summary>Image width in pixels.</summary>
    public const int Width = 900;

    /// <summary>Image height in pixels.</summary>
    public const int Height = 900;

    /// <summary>Where a gradient norm of 0 is drawn on the log scale.</summary>
    public const double Floor = 1e-12;

    /// <summary>Writes the two panels of <paramref name="diagnostics"/> as one PNG file.</summary>
    /// <exception cref="CliException">The diagnostics hold no records.</exception>
    public static void Save(FeedForwardDiagnostics diagnostics, string path)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (diagnostics.Records.Count == 0)
        {
            throw new CliException("The model has no diagnostics records to plot.");
        }

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        var spread = multiplot.GetPlot(0);
        var gradients = multiplot.GetPlot(1);
        var epochs = diagnostics.Records.Max(r => r.Epoch);
        foreach (var layer in diagnostics.Records.GroupBy(r => r.Layer).OrderBy(g => g.Key))
        {
            var records = layer.OrderBy(r => r.Epoch).ToArray();
            var name = $"layer {layer.Key + 1} ({records[0].Units} {records[0].Activation})";
            var std = spread.Add.Scatter(records.Select(r => (double)r.Epoch).ToArray(), records.Select(r => r.ActivationStd).ToArray());
            std.LegendText = name;
            std.MarkerSize = epochs <= 1 ? 5 : 3;

            var measured = records.Where(r => !double.IsNaN(r.GradientNorm)).ToArray();
            if (measured.Length > 0)
            {
                var norm = gradients.Add.Scatter(
                    measured.Select(r => (double)r.Epoch).ToArray(),
                    measured.Select(r => Math.Log10(Math.Max(r.GradientNorm, Floor))).ToArray());
                norm.LegendText = name;
                norm.MarkerSize = std.MarkerSize;
            }
        }

        spread.Title("Activation standard deviation per hidden layer");
        spread.XLabel("epoch (0 = as initialized)");
        spread.YLabel("activation std");
        spread.ShowLegend(Edge.Right);

        gradients.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => $"1e{y:0}",
        };
        gradients.Title("Gradient norm per hidden layer (log scale)");
        gradients.XLabel("epoch (0 = as initialized)");
        gradients.YLabel("gradient norm");
        gradients.ShowLegend(Edge.Right);

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        multiplot.SavePng(path, Width, Height);
    }
}
