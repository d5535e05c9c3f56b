namespace MlNetDeep.Layers;

/// <summary>
/// Replaces every batch-norm layer's running statistics by population statistics: the exact mean and unbiased variance
/// of its input over a whole data set, in inference mode, instead of the exponential averages that training kept.
/// </summary>
internal static class BatchNormRecalibration
{
    /// <summary>Runs the first <paramref name="layers"/> layers on the <paramref name="rows"/> rows just read and returns the last one's output.</summary>
    public delegate ReadOnlySpan<float> PrefixForward(int layers, int rows, LayerContext context);

    /// <summary>
    /// Recalibrates the batch-norm layers among <paramref name="layers"/> in order, each after the ones before it are
    /// final, running the layers before it through <paramref name="forwardPrefix"/> on every batch that
    /// <paramref name="batches"/> reads.
    /// </summary>
    /// <param name="layers">The layers <paramref name="forwardPrefix"/> runs, in forward order.</param>
    /// <param name="batches">Reads every batch in turn, yielding its row count; enumerated once per batch-norm layer.</param>
    /// <param name="forwardPrefix">Runs the first layers on the batch just read (dense or sparse rows alike).</param>
    /// <param name="context">The context to run under (switched to inference for the passes).</param>
    public static void ReplaceRunningStatistics(
        IReadOnlyList<Layer> layers,
        Func<IEnumerable<int>> batches,
        PrefixForward forwardPrefix,
        LayerContext context)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(forwardPrefix);
        ArgumentNullException.ThrowIfNull(context);
        var training = context.Training;
        context.Training = false;
        for (var l = 0; l < layers.Count; l++)
        {
            if (layers[l] is not BatchNorm batchNorm)
            {
                continue;
            }

            batchNorm.BeginPopulationStatistics();
            foreach (var rows in batches())
            {
                var input = forwardPrefix(l, rows, context);
                batchNorm.AccumulatePopulationStatistics(input[..(rows * batchNorm.InputSize)], rows);
            }

            batchNorm.EndPopulationStatistics();
        }

        context.Training = training;
    }
}
