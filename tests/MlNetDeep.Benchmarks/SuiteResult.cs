namespace MlNetDeep.Benchmarks;

/// <summary>
/// The suite's result on one data set: a fit per seed, and the comparisons with the anchors: at or above the best
/// anchor (mean accuracy ≥ the best anchor's mean; for RMSE ≤), and within one standard deviation of the PyTorch MLP
/// (mean accuracy ≥ its mean − its sd; for RMSE ≤ its mean + its sd). A comparison is null when its anchor is absent.
/// </summary>
internal sealed record SuiteResult(SuiteAnchors.Dataset Dataset, IReadOnlyList<SuiteResult.Fit> Fits, IReadOnlyList<string> NotApplied)
{
    /// <summary>The test score over seeds.</summary>
    public SeedStatistic Score => SeedStatistic.Of([.. Fits.Select(f => f.Score)]);

    /// <summary>The fit time in seconds over seeds.</summary>
    public SeedStatistic FitSeconds => SeedStatistic.Of([.. Fits.Select(f => f.Seconds)]);

    /// <summary>Whether the mean is at or above the best anchor's.</summary>
    public bool? AtOrAboveBest => Dataset.Best is { } best ? Dataset.AtLeastAsGood(Score.Mean, best.Score.Mean) : null;

    /// <summary>Whether the mean is within one standard deviation of the PyTorch MLP's mean, or better.</summary>
    public bool? WithinTorchMlp => Dataset.Find(SuiteAnchors.TorchMlp) is { } torch
        ? Dataset.AtLeastAsGood(Score.Mean, Dataset.LowerIsBetter ? torch.Score.Mean + torch.Score.Std : torch.Score.Mean - torch.Score.Std)
        : null;

    /// <summary>
    /// One fit: the split's seed (also the trainer's), the test score, the fit's wall clock, the epochs run and the one
    /// whose weights were kept, and the width of the feature vector (numeric columns plus one slot per category seen in
    /// the training rows).
    /// </summary>
    internal sealed record Fit(int Seed, double Score, double Seconds, int Epochs, int BestEpoch, int Features);
}
