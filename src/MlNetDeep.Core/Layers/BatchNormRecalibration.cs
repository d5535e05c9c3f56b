namespace MlNetDeep.Layers;

/// <summary>
/// Replaces every batch-norm layer's running statistics by population statistics: the exact mean and unbiased variance
/// of its input over a whole data set, in inference mode, instead of the exponential averages that training kept.
/// </summary>
internal static class BatchNormRecalibration
{
    /// <summary>
    /// Recalibrates the batch-norm layers among <paramref name="layers"/> in order, each after the ones before it are
    /// final, running the layers before it through <paramref name="executor"/> (allocated) on every batch of
    /// <paramref name="batches"/>.
    /// </summary>
    /// <param name="layers">The layers <paramref name="executor"/> runs, in forward order.</param>
    /// <param name="executor">Runs the passes, in batches of up to its <see cref="TrainingExecutor.MaxBatch"/> rows.</param>
    /// <param name="inputSize">Features per raw input row.</param>
    /// <param name="batches">Yields raw input batches (rows, row count); enumerated once per batch-norm layer.</param>
    /// <param name="context">The context to run under (switched to inference for the passes).</param>
    public static void ReplaceRunningStatistics(
        IReadOnlyList<Layer> layers,
        TrainingExecutor executor,
        int inputSize,
        Func<IEnumerable<(float[] Rows, int Count)>> batches,
        LayerContext context)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(context);
        var maxBatch = executor.MaxBatch;
        var training = context.Training;
        context.Training = false;
        for (var l = 0; l < layers.Count; l++)
        {
            if (layers[l] is not BatchNorm batchNorm)
            {
                continue;
            }

            batchNorm.BeginPopulationStatistics();
            foreach (var (rows, count) in batches())
            {
                for (var start = 0; start < count; start += maxBatch)
                {
                    var batch = Math.Min(maxBatch, count - start);
                    var input = executor.ForwardPrefix(l, rows.AsSpan(start * inputSize, batch * inputSize), batch, context);
                    batchNorm.AccumulatePopulationStatistics(input[..(batch * batchNorm.InputSize)], batch);
                }
            }

            batchNorm.EndPopulationStatistics();
        }

        context.Training = training;
    }
}
