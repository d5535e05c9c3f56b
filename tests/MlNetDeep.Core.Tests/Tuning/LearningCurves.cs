namespace MlNetDeep.Tests.Tuning;

/// <summary>
/// Synthetic learning curves for the pruner tests: validation losses <c>final + 1.5·exp(−step/4)</c> that never
/// cross, so the ranking at every step is the ranking of the final values.
/// </summary>
internal static class LearningCurves
{
    public const int Epochs = 27;

    public static double Loss(double final, int step) => final + (1.5 * Math.Exp(-step / 4.0));

    /// <summary>27 final losses 0.1·k (k = 0..26) in a fixed shuffled order: the best (0) is trial 20, the worst (2.6) trial 5.</summary>
    public static double[] Finals()
    {
        int[] order = [14, 9, 22, 17, 3, 26, 11, 19, 6, 24, 1, 15, 8, 21, 12, 4, 18, 25, 7, 13, 0, 23, 10, 16, 2, 20, 5];
        return [.. order.Select(k => 0.1 * k)];
    }

    /// <summary>Runs every trial in order through <paramref name="pruner"/>; returns the step each was pruned at (null: completed).</summary>
    public static int?[] Run(MlNetDeep.Tuning.TrialPruner pruner, double[] finals)
    {
        var prunedAt = new int?[finals.Length];
        for (var trial = 0; trial < finals.Length; trial++)
        {
            for (var step = 1; step <= Epochs; step++)
            {
                if (pruner.Report(trial, step, Loss(finals[trial], step)))
                {
                    prunedAt[trial] = step;
                    break;
                }
            }

            if (prunedAt[trial] is null)
            {
                pruner.Complete(trial);
            }
        }

        return prunedAt;
    }
}
