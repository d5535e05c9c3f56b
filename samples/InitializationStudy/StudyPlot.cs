using ScottPlot;

namespace MlNetDeep.Samples.InitializationStudy;

/// <summary>
/// The study's plot: per hidden layer, the activation standard deviation of the network as initialized, for a few
/// representative configurations, on a log scale (a standard deviation of 0 is drawn at <see cref="Floor"/>).
/// </summary>
public static class StudyPlot
{
    /// <summary>Image width in pixels.</summary>
    public const int Width = 900;

    /// <summary>Image height in pixels.</summary>
    public const int Height = 550;

    /// <summary>Where a standard deviation of 0 (or below) is drawn on the log scale.</summary>
    public const double Floor = 1e-14;

    /// <summary>The configurations the plot prefers, each one a pattern the theory predicts.</summary>
    public static readonly (WeightInitializer Initializer, Activation Activation, Normalization Normalization)[] Representative =
    [
        (WeightInitializer.Zeros, Activation.ReLU, Normalization.None),
        (WeightInitializer.RandomNormal, Activation.Tanh, Normalization.None),
        (WeightInitializer.RandomNormal, Activation.ReLU, Normalization.None),
        (WeightInitializer.XavierUniform, Activation.Tanh, Normalization.None),
        (WeightInitializer.HeNormal, Activation.ReLU, Normalization.None),
        (WeightInitializer.LeCunNormal, Activation.SELU, Normalization.None),
        (WeightInitializer.RandomNormal, Activation.ReLU, Normalization.BatchNorm),
    ];

    /// <summary>
    /// The rows the plot draws: the representative configurations the study ran, or, when it ran none of them, every
    /// configuration without normalization (every configuration when none is without).
    /// </summary>
    public static IReadOnlyList<StudyRow> Select(IReadOnlyList<StudyRow> rows)
    {
        var chosen = Representative.Select(c => rows.FirstOrDefault(r => r.Initializer == c.Initializer && r.Activation == c.Activation && r.Normalization == c.Normalization))
            .OfType<StudyRow>().ToList();
        if (chosen.Count > 0)
        {
            return chosen;
        }

        var plain = rows.Where(r => r.Normalization == Normalization.None).ToList();
        return plain.Count > 0 ? plain : rows;
    }

    /// <summary>Writes the plot as a PNG file.</summary>
    public static void Save(IReadOnlyList<StudyRow> rows, StudySettings settings, string path)
    {
        var plot = new Plot();
        var layers = Enumerable.Range(1, settings.Layers).Select(l => (double)l).ToArray();
        foreach (var row in Select(rows))
        {
            var values = row.InitialStd.Select(s => Math.Log10(double.IsNaN(s) || s <= Floor ? Floor : s)).ToArray();
            var line = plot.Add.Scatter(layers, values);
            line.LegendText = $"{row.Initializer} + {row.Activation}" + (row.Normalization == Normalization.None ? string.Empty : $" + {row.Normalization}");
            line.MarkerSize = 5;
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => y < Math.Log10(Floor) - 0.5 ? string.Empty : y < Math.Log10(Floor) + 0.5 ? "0" : $"1e{y:0}",
        };
        plot.Title($"Activation std per hidden layer at initialization ({settings.Layers} × {settings.Units}, digits)");
        plot.XLabel("hidden layer");
        plot.YLabel("activation standard deviation (log scale)");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, Width, Height);
    }
}
