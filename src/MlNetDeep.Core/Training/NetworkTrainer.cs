using System.Diagnostics;
using MlNetDeep.Compute;
using MlNetDeep.Diagnostics;
using MlNetDeep.Layers;
using MlNetDeep.Losses;
using MlNetDeep.GradientOptimizers;

namespace MlNetDeep.Training;

/// <summary>The outcome of training: the network (with the best weights when early stopping ran) and its history.</summary>
/// <param name="Network">The trained network.</param>
/// <param name="History">One record per epoch run.</param>
/// <param name="BestEpoch">The epoch whose weights the network holds.</param>
public sealed record TrainingResult(SequentialNetwork Network, IReadOnlyList<TrainingEpoch> History, int BestEpoch)
{
    /// <summary>The per-layer diagnostics of every epoch run, or null when <see cref="TrainingSettings.Diagnostics"/> was.</summary>
    public TrainingDiagnostics? Diagnostics { get; init; }
}

/// <summary>
/// The mini-batch training loop: standardization statistics from the training rows, a stratified
/// validation split, shuffling per epoch, forward, loss, backward, clipping, the optimizer step and the
/// learning-rate schedule; validation and early stopping that restores the best weights; population
/// statistics for batch norm on request. Buffers are allocated before the first epoch, so steps allocate
/// no managed memory. The same data, settings and seed give the same network for a given thread count.
/// Cancellation (<see cref="TrainingSettings.CancellationToken"/>, <see cref="TrainingSettings.CheckCancellation"/>)
/// is checked before every batch, on the calling thread, between parallel runs of the kernels: a cancelled
/// training throws <see cref="OperationCanceledException"/> within one batch and leaves no work running.
/// </summary>
public static class NetworkTrainer
{
    /// <summary>Rows between two cancellation checks of a pass over the training rows that runs no network.</summary>
    private const int RowsPerCancellationCheck = 4096;

    /// <summary>Trains a network of architecture <paramref name="spec"/> on the dense rows of <paramref name="data"/>.</summary>
    /// <param name="spec">The architecture.</param>
    /// <param name="data">The training rows.</param>
    /// <param name="settings">How to train.</param>
    /// <param name="onEpoch">Called on the calling thread, synchronously, with each epoch's record as the epoch ends (the same record <see cref="TrainingResult.History"/> keeps).</param>
    /// <exception cref="ArgumentException">A setting or the data is invalid.</exception>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite (the message names the epoch).</exception>
    /// <exception cref="OperationCanceledException">The settings' cancellation said to stop; nothing is returned.</exception>
    public static TrainingResult Train(NetworkSpec spec, TrainingData data, TrainingSettings settings, Action<TrainingEpoch>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rows == 0)
        {
            throw new ArgumentException("The training data has no rows.");
        }

        return Train(spec, new InMemoryBatchSource(data), settings, onEpoch);
    }

    /// <summary>
    /// Trains a network of architecture <paramref name="spec"/> on the sparse rows of <paramref name="data"/>, which are
    /// never densified (see <see cref="ISparseBatchSource"/> for what that asks of <paramref name="spec"/> and how the
    /// features are scaled).
    /// </summary>
    /// <param name="spec">The architecture.</param>
    /// <param name="data">The training rows.</param>
    /// <param name="settings">How to train.</param>
    /// <param name="onEpoch">Called on the calling thread, synchronously, with each epoch's record as the epoch ends (the same record <see cref="TrainingResult.History"/> keeps).</param>
    /// <exception cref="ArgumentException">A setting or the data is invalid, or <paramref name="spec"/> does not start with its first dense layer.</exception>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite (the message names the epoch).</exception>
    /// <exception cref="OperationCanceledException">The settings' cancellation said to stop; nothing is returned.</exception>
    public static TrainingResult Train(NetworkSpec spec, SparseTrainingData data, TrainingSettings settings, Action<TrainingEpoch>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rows == 0)
        {
            throw new ArgumentException("The training data has no rows.");
        }

        return Train(spec, new InMemorySparseBatchSource(data), settings, onEpoch);
    }

    /// <summary>
    /// Trains a network of architecture <paramref name="spec"/> on the rows <paramref name="source"/> serves: through
    /// <see cref="ISparseBatchSource.ReadSparse"/> when it is a <see cref="ISparseBatchSource"/>, densely otherwise.
    /// </summary>
    /// <param name="spec">The architecture.</param>
    /// <param name="source">The training rows, split by the trainer into training and validation rows.</param>
    /// <param name="settings">How to train.</param>
    /// <param name="onEpoch">Called on the calling thread, synchronously, with each epoch's record as the epoch ends (the same record <see cref="TrainingResult.History"/> keeps).</param>
    /// <exception cref="ArgumentException">A setting or the data is invalid.</exception>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite (the message names the epoch).</exception>
    /// <exception cref="OperationCanceledException">The settings' cancellation said to stop; nothing is returned.</exception>
    public static TrainingResult Train(NetworkSpec spec, IBatchSource source, TrainingSettings settings, Action<TrainingEpoch>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(settings);
        spec.Validate();
        settings.Validate();
        settings.ThrowIfCancelled();
        if (spec.Task == TaskKind.Regression && settings.LabelSmoothing != 0f)
        {
            throw new ArgumentException($"LabelSmoothing applies to classification only; a regression network takes 0. Received: LabelSmoothing={settings.LabelSmoothing}.");
        }

        if (source.Columns != spec.InputSize)
        {
            throw new ArgumentException($"The data has {source.Columns} features per row; the network expects {spec.InputSize}.");
        }

        if (source is ISparseBatchSource)
        {
            spec.ValidateSparseRows();
        }

        var random = new RandomGenerator(settings.Seed);
        source.Split(spec.Task, settings.ValidationFraction, random);
        var trainingRows = source.Count(RowSet.Training);
        var validationRows = source.Count(RowSet.Validation);
        if (trainingRows == 0)
        {
            throw new ArgumentException("The training data has no rows.");
        }

        var network = SequentialNetwork.Create(spec, settings.Seed);
        var batchSize = Math.Min(settings.BatchSize ?? TrainingSettings.AutomaticBatchSize(trainingRows), trainingRows);
        var maxRows = Math.Max(batchSize, Math.Min(validationRows, 1024));
        var outputSize = spec.RawOutputSize;
        var batch = new Batch(source, network, maxRows);
        FitStandardization(network, batch, settings);

        network.Allocate(maxRows, batch.MaxNonZeros);
        // Every step's backward writes each gradient afresh, so the gradients are never cleared.
        var context = new LayerContext(new RandomGenerator(settings.Seed ^ 0x5DEECE66DL), settings.Threads) { AccumulateGradients = false };
        var loss = CreateLoss(spec, settings.HuberDelta, settings.LabelSmoothing);
        var optimizer = CreateOptimizer(settings, network.Parameters.Length, network.DecayedRanges());
        var schedule = settings.Schedule;
        var earlyStopping = validationRows > 0 && settings.EarlyStoppingPatience > 0
            ? new EarlyStopping(settings.EarlyStoppingPatience)
            : null;

        var outputGradient = new float[maxRows * outputSize];
        var bestParameters = (float[])network.Parameters.Clone();
        var bestBuffers = (float[])network.Buffers.Clone();
        var bestEpoch = 0;
        var history = new List<TrainingEpoch>();
        var stopwatch = Stopwatch.StartNew();
        var diagnostics = settings.Diagnostics is null ? null : new DiagnosticsCollector(network, settings.Diagnostics, maxRows);
        if (diagnostics is not null && settings.Diagnostics!.MeasureInitialState)
        {
            var sample = batch.ReadSample(batchSize);
            diagnostics.MeasureInitialState(batch.Rows(sample), batch.Targets, batch.Weights, sample, loss, outputGradient, settings.Threads, settings.Seed);
        }

        // An epoch is ⌈N/B⌉ batches whose sizes differ by at most one row: a small remainder batch would take a full
        // optimizer step on a few rows and, through batch norm, feed their noisy statistics into the running ones.
        var batches = (trainingRows + batchSize - 1) / batchSize;
        var (smallBatch, largerBatches) = Math.DivRem(trainingRows, batches);
        for (var epoch = 1; epoch <= settings.NumberOfEpochs; epoch++)
        {
            var learningRate = schedule is null ? settings.LearningRate : (float)schedule.LearningRate(epoch - 1);
            source.Shuffle(random);
            context.Training = true;
            diagnostics?.BeginEpoch();
            double lossSum = 0, weightSum = 0;
            for (int b = 0, start = 0; b < batches; b++)
            {
                settings.ThrowIfCancelled();
                var count = smallBatch + (b < largerBatches ? 1 : 0);
                var rows = batch.Read(RowSet.Training, start, count);
                start += count;
                var output = network.Forward(batch.Rows(rows), rows, context);
                var weights = batch.WeightsOf(rows);
                var batchLoss = loss.LossAndGradient(output, batch.Targets.AsSpan(0, rows), weights, rows, outputGradient.AsSpan(0, rows * outputSize));
                if (!double.IsFinite(batchLoss))
                {
                    throw new InvalidOperationException(
                        $"Training diverged in epoch {epoch}: the loss became {batchLoss}. Lower the learning rate (now {learningRate}), set GradientClipNorm, or check the data for extreme values.");
                }

                network.Backward(outputGradient.AsSpan(0, rows * outputSize), rows, context);
                diagnostics?.ObserveStep(rows);
                if (settings.GradientClipNorm > 0)
                {
                    GradientClipping.ClipByGlobalNorm(network.Gradients, settings.GradientClipNorm);
                }

                optimizer.Step(network.Parameters, network.Gradients, learningRate);
                var batchWeight = weights.IsEmpty ? rows : System.Numerics.Tensors.TensorPrimitives.Sum(weights);
                lossSum += batchLoss * batchWeight;
                weightSum += batchWeight;
            }

            diagnostics?.EndEpoch(epoch);
            var trainingLoss = lossSum / Math.Max(weightSum, double.Epsilon);
            double? validationLoss = null, validationMetric = null;
            if (validationRows > 0)
            {
                (validationLoss, validationMetric) = Evaluate(network, batch, validationRows, loss, context, maxRows, settings);
                if (!double.IsFinite(validationLoss.Value))
                {
                    throw new InvalidOperationException($"Training diverged in epoch {epoch}: the validation loss became {validationLoss}. Lower the learning rate (now {learningRate}).");
                }
            }

            var record = new TrainingEpoch(epoch, trainingLoss, validationLoss, validationMetric, learningRate, stopwatch.Elapsed.TotalSeconds);
            history.Add(record);
            onEpoch?.Invoke(record);
            schedule?.Report(epoch - 1, validationLoss ?? trainingLoss);

            if (earlyStopping is null)
            {
                bestEpoch = epoch;
                continue;
            }

            var improved = settings.EarlyStoppingMonitor == EarlyStoppingMonitor.ValidationLoss
                ? earlyStopping.Report(epoch, validationLoss!.Value)
                : spec.Task == TaskKind.Regression
                    ? earlyStopping.Report(epoch, validationMetric!.Value, validationLoss!.Value)
                    : earlyStopping.Report(epoch, -validationMetric!.Value, validationLoss!.Value);
            if (improved)
            {
                bestEpoch = epoch;
                network.Parameters.CopyTo(bestParameters, 0);
                network.Buffers.CopyTo(bestBuffers, 0);
            }

            if (earlyStopping.ShouldStop)
            {
                break;
            }
        }

        if (earlyStopping is not null)
        {
            bestParameters.CopyTo(network.Parameters, 0);
            bestBuffers.CopyTo(network.Buffers, 0);
        }

        if (settings.UsePopulationStatistics)
        {
            network.ReplaceRunningStatisticsWithPopulationStatistics(
                () => ReadAll(batch, trainingRows, maxRows, settings),
                (layers, rows, layerContext) => network.ForwardPrefix(layers, batch.Rows(rows), rows, layerContext),
                context);
        }

        if (!System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<float>(network.Parameters))
        {
            throw new InvalidOperationException("Training produced a parameter that is NaN or infinite; the model is not returned. Lower the learning rate or set GradientClipNorm.");
        }

        return new TrainingResult(network, history, bestEpoch) { Diagnostics = diagnostics?.Result() };
    }

    /// <summary>The optimizer <paramref name="settings"/> name, with their hyperparameters and threads.</summary>
    internal static GradientOptimizer CreateOptimizer(TrainingSettings settings, int parameterCount, IReadOnlyList<(int Offset, int Length)>? decayRanges)
    {
        var options = new OptimizerOptions
        {
            LearningRate = settings.LearningRate,
            Momentum = settings.Momentum,
            Nesterov = settings.Nesterov,
            Beta1 = settings.Beta1,
            Beta2 = settings.Beta2,
            WeightDecay = settings.L2Regularization,
        };
        var optimizer = OptimizerFactory.Create(settings.Optimizer, options, parameterCount, decayRanges);
        optimizer.Threads = settings.Threads;
        return optimizer;
    }

    /// <summary>
    /// The loss the network's task trains with: Huber with <paramref name="huberDelta"/> (0: squared error) for
    /// regression, cross-entropy with <paramref name="labelSmoothing"/> for classification.
    /// </summary>
    internal static LossFunction CreateLoss(NetworkSpec spec, float huberDelta, float labelSmoothing = 0f)
    {
        LossFunction member = spec.Task switch
        {
            TaskKind.Multiclass => new SoftmaxCrossEntropyLoss(spec.ClassCount, labelSmoothing),
            TaskKind.Binary => new SigmoidBinaryCrossEntropyLoss(1, labelSmoothing),
            _ => huberDelta > 0 ? new HuberLoss(1, huberDelta) : new MeanSquaredErrorLoss(1),
        };
        return spec.EnsembleSize > 1 ? new EnsembleMeanLoss(member, spec.EnsembleSize) : member;
    }

    /// <summary>
    /// One pass over the training rows, a batch at a time in their order after the split, for the features' means
    /// and largest absolute values and, for regression, the target's mean; a second pass for the standard deviations
    /// (the second moment about the mean; for sparse rows over the non-zeros, the zeros added at the end).
    /// <see cref="InputTransform.MaxAbs"/> scales by the largest absolute value and subtracts nothing; the others start
    /// from the standardization, which for sparse rows divides by the standard deviation and subtracts nothing. When the
    /// input transform or the embedding needs quantiles, the first pass also keeps a sample of the rows
    /// (<see cref="InputSample"/>) they are fitted on.
    /// </summary>
    private static void FitStandardization(SequentialNetwork network, Batch batch, TrainingSettings settings)
    {
        var columns = network.Spec.InputSize;
        var rows = batch.Source.Count(RowSet.Training);
        var regression = network.Spec.Task == TaskKind.Regression;
        if (!settings.StandardizeFeatures && !regression && !InputSample.IsNeeded(network.Spec))
        {
            return;
        }

        var sum = new double[columns];
        var maxAbs = new float[columns];
        var nonZeros = batch.Sparse is null ? [] : new long[columns];
        double targetSum = 0;
        var sample = InputSample.IsNeeded(network.Spec) ? new InputSample(columns, rows, settings.Seed) : null;
        foreach (var count in batch.ReadRaw(RowSet.Training, rows, settings))
        {
            for (var i = 0; i < count; i++)
            {
                if (batch.Sparse is not null)
                {
                    for (var p = batch.RowStarts[i]; p < batch.RowStarts[i + 1]; p++)
                    {
                        var c = batch.Indices[p];
                        sum[c] += batch.Values[p];
                        maxAbs[c] = Math.Max(maxAbs[c], Math.Abs(batch.Values[p]));
                        nonZeros[c]++;
                    }
                }
                else
                {
                    var row = batch.Input.AsSpan(i * columns, columns);
                    for (var c = 0; c < columns; c++)
                    {
                        sum[c] += row[c];
                        maxAbs[c] = Math.Max(maxAbs[c], Math.Abs(row[c]));
                    }

                    sample?.Add(row);
                }

                targetSum += batch.Targets[i];
            }
        }

        for (var c = 0; c < columns; c++)
        {
            sum[c] /= rows;
        }

        var targetMean = targetSum / rows;
        var sumSquares = new double[columns];
        double targetSquares = 0;
        foreach (var count in batch.ReadRaw(RowSet.Training, rows, settings))
        {
            for (var i = 0; i < count; i++)
            {
                if (batch.Sparse is not null)
                {
                    for (var p = batch.RowStarts[i]; p < batch.RowStarts[i + 1]; p++)
                    {
                        var c = batch.Indices[p];
                        var d = batch.Values[p] - sum[c];
                        sumSquares[c] += d * d;
                    }
                }
                else
                {
                    var row = batch.Input.AsSpan(i * columns, columns);
                    for (var c = 0; c < columns; c++)
                    {
                        var d = row[c] - sum[c];
                        sumSquares[c] += d * d;
                    }
                }

                var t = batch.Targets[i] - targetMean;
                targetSquares += t * t;
            }
        }

        if (batch.Sparse is not null)
        {
            // The zeros of each feature, each (0 − mean)² from the mean.
            for (var c = 0; c < columns; c++)
            {
                sumSquares[c] += (rows - nonZeros[c]) * sum[c] * sum[c];
            }
        }

        if (settings.StandardizeFeatures)
        {
            // Sparse rows are scaled without centering, so that zeros stay zero.
            var byMaxAbs = network.Spec.InputTransform == InputTransform.MaxAbs;
            var centre = !byMaxAbs && batch.Sparse is null;
            for (var c = 0; c < columns; c++)
            {
                var std = Math.Sqrt(sumSquares[c] / rows);
                network.InputMean[c] = centre ? (float)sum[c] : 0f;
                network.InputScale[c] = byMaxAbs
                    ? maxAbs[c] > 0 ? (float)(1.0 / maxAbs[c]) : 1f
                    : std > 1e-12 ? (float)(1 / std) : 1f;
            }
        }

        sample?.Fit(network);

        if (regression)
        {
            var std = Math.Sqrt(targetSquares / rows);
            network.TargetMean = (float)targetMean;
            network.TargetStd = std > 1e-12 ? (float)std : 1f;
        }
    }

    /// <summary>Reads the <paramref name="rows"/> training rows a buffer at a time, yielding each batch's row count.</summary>
    private static IEnumerable<int> ReadAll(Batch batch, int rows, int maxRows, TrainingSettings settings)
    {
        for (var start = 0; start < rows; start += maxRows)
        {
            settings.ThrowIfCancelled();
            yield return batch.Read(RowSet.Training, start, Math.Min(maxRows, rows - start));
        }
    }

    private static (double Loss, double Metric) Evaluate(
        SequentialNetwork network,
        Batch batch,
        int rows,
        LossFunction loss,
        LayerContext context,
        int maxRows,
        TrainingSettings settings)
    {
        context.Training = false;
        var outputSize = network.Spec.OutputSize;
        var members = network.Spec.EnsembleSize;
        var prediction = new float[outputSize];
        var task = network.Spec.Task;
        double lossSum = 0, weightSum = 0, metricSum = 0;
        for (var start = 0; start < rows; start += maxRows)
        {
            settings.ThrowIfCancelled();
            var count = batch.Read(RowSet.Validation, start, Math.Min(maxRows, rows - start));
            var output = network.Forward(batch.Rows(count), count, context);
            var weights = batch.WeightsOf(count);
            lossSum += loss.LossSum(output, batch.Targets.AsSpan(0, count), weights, count);
            for (var i = 0; i < count; i++)
            {
                var w = weights.IsEmpty ? 1.0 : weights[i];
                weightSum += w;
                EnsemblePrediction.Combine(task, output.Slice(i * outputSize * members, outputSize * members), members, prediction);
                metricSum += w * task switch
                {
                    TaskKind.Multiclass => System.Numerics.Tensors.TensorPrimitives.IndexOfMax(prediction) == (int)batch.Targets[i] ? 1 : 0,
                    TaskKind.Binary => (prediction[0] > 0) == (batch.Targets[i] > 0.5f) ? 1 : 0,
                    _ => Square((prediction[0] - batch.Targets[i]) * network.TargetStd),
                };
            }
        }

        context.Training = true;
        var metric = metricSum / weightSum;
        return (lossSum / weightSum, task == TaskKind.Regression ? Math.Sqrt(metric) : metric);
    }

    private static double Square(double x) => x * x;

    /// <summary>
    /// The trainer's batch buffers and the reads that fill them from the source: features as they are (the network
    /// standardizes them), dense or, from a <see cref="ISparseBatchSource"/>, in CSR form; targets as the loss wants
    /// them (regression targets standardized by the network's target mean and deviation).
    /// </summary>
    private sealed class Batch
    {
        private readonly SequentialNetwork _network;

        public Batch(IBatchSource source, SequentialNetwork network, int maxRows)
        {
            Source = source;
            _network = network;
            Targets = new float[maxRows];
            Weights = source.HasWeights ? new float[maxRows] : [];
            if (source is ISparseBatchSource sparse)
            {
                Sparse = sparse;
                MaxNonZeros = sparse.MaxNonZeros(maxRows);
                Values = new float[MaxNonZeros];
                Indices = new int[MaxNonZeros];
                RowStarts = new int[maxRows + 1];
            }
            else
            {
                Input = new float[maxRows * source.Columns];
            }
        }

        public IBatchSource Source { get; }

        /// <summary>The source when its rows are read sparse, else null.</summary>
        public ISparseBatchSource? Sparse { get; }

        /// <summary>Dense rows <c>[maxRows, Columns]</c> (empty when sparse).</summary>
        public float[] Input { get; } = [];

        /// <summary>The most non-zeros of a sparse batch (0 when dense).</summary>
        public int MaxNonZeros { get; }

        /// <summary>The sparse rows' values, column indices and row starts (empty when dense).</summary>
        public float[] Values { get; } = [];

        /// <inheritdoc cref="Values"/>
        public int[] Indices { get; } = [];

        /// <inheritdoc cref="Values"/>
        public int[] RowStarts { get; } = [];

        public float[] Targets { get; }

        public float[] Weights { get; }

        /// <summary>The first <paramref name="rows"/> weights, or empty when rows weigh 1.</summary>
        public ReadOnlySpan<float> WeightsOf(int rows) => Weights.Length == 0 ? ReadOnlySpan<float>.Empty : Weights.AsSpan(0, rows);

        /// <summary>The first <paramref name="count"/> rows read, dense or sparse, for the network.</summary>
        public InputRows Rows(int count) => Sparse is null
            ? new InputRows(Input.AsSpan(0, count * Source.Columns))
            : new InputRows(Values, Indices, RowStarts.AsSpan(0, count + 1));

        /// <summary>Reads rows <c>[start, start + count)</c> of <paramref name="set"/> with targets as the loss wants them.</summary>
        public int Read(RowSet set, int start, int count)
        {
            ReadFromSource(set, start, count);
            ScaleTargets(count);
            return count;
        }

        /// <summary>Reads the diagnostics sample of <paramref name="count"/> training rows with targets as the loss wants them.</summary>
        public int ReadSample(int count)
        {
            if (Sparse is null)
            {
                Source.ReadSample(count, Input, Targets, Weights);
            }
            else
            {
                Sparse.ReadSampleSparse(count, Values, Indices, RowStarts, Targets, Weights);
            }

            ScaleTargets(count);
            return count;
        }

        /// <summary>Reads all <paramref name="rows"/> rows of <paramref name="set"/> a buffer at a time with raw labels, yielding each count.</summary>
        public IEnumerable<int> ReadRaw(RowSet set, int rows, TrainingSettings settings)
        {
            for (var start = 0; start < rows; start += Targets.Length)
            {
                var count = Math.Min(Targets.Length, rows - start);
                if ((start + RowsPerCancellationCheck - 1) / RowsPerCancellationCheck * RowsPerCancellationCheck < start + count)
                {
                    // Once per RowsPerCancellationCheck rows: these passes run no network, so a row costs little.
                    settings.ThrowIfCancelled();
                }

                ReadFromSource(set, start, count);
                yield return count;
            }
        }

        private void ReadFromSource(RowSet set, int start, int count)
        {
            if (Sparse is null)
            {
                Source.Read(set, start, count, Input, Targets, Weights);
            }
            else
            {
                Sparse.ReadSparse(set, start, count, Values, Indices, RowStarts, Targets, Weights);
            }
        }

        private void ScaleTargets(int count)
        {
            if (_network.Spec.Task != TaskKind.Regression)
            {
                return;
            }

            var mean = _network.TargetMean;
            var inverseStd = 1f / _network.TargetStd;
            for (var i = 0; i < count; i++)
            {
                Targets[i] = (Targets[i] - mean) * inverseStd;
            }
        }
    }
}
