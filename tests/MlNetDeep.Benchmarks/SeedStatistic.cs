namespace MlNetDeep.Benchmarks;

/// <summary>
/// A value summarized over seeds, as <c>anchors.json</c> gives it: the mean, the sample standard deviation (n − 1 in the
/// denominator; 0 for one seed), the median and the number of seeds.
/// </summary>
internal readonly record struct SeedStatistic(double Mean, double Std, double Median, int N)
{
    /// <summary>Summarizes <paramref name="values"/> (at least one).</summary>
    public static SeedStatistic Of(IReadOnlyCollection<double> values)
    {
        var mean = values.Average();
        var std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        var sorted = values.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return new SeedStatistic(mean, std, median, values.Count);
    }
}
