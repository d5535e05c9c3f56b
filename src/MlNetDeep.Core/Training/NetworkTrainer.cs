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

    /// <summary>Trains a network of architecture <paramref name="spec"/> on <paramref name="data"/>.</summary>
    /// <param name="spec">The architecture.</param>
    /// <param name="data">The training rows.</param>
    /// <param name="settings">How to train.</param>
    /// <param name="onEpoch">Called on the calling thread, synchronously, with each epoch's record as the epoch ends (the same record <see cref="TrainingResult.History"/> keeps).</param>
    /// <exception cref="ArgumentException">A setting or the data is invalid.</exception>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite (the message names the epoch).</exception>
    /// <exception cref="OperationCanceledException">The settings' cancellation said to stop; nothing is returned.</exception>
    public static TrainingResult Train(NetworkSpec spec, TrainingData data, TrainingSettings settings, Action<TrainingEpoch>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        spec.Validate();
        settings.Validate();
        settings.ThrowIfCancelled();
        if (data.Columns != spec.InputSize)
        {
            throw new ArgumentException($"The data has {data.Columns} features per row; the network expects {spec.InputSize}.");
        }

        if (data.Rows == 0)
        {
            throw new ArgumentException("The training data has no rows.");
        }

        var random = new RandomGenerator(settings.Seed);
        var (trainRows, validationRows) = Split(data, spec, settings.ValidationFraction, random);
        var network = SequentialNetwork.Create(spec, settings.Seed);
        FitStandardization(network, data, trainRows, settings);

        var batchSize = Math.Min(settings.BatchSize ?? TrainingSettings.AutomaticBatchSize(trainRows.Length), trainRows.Length);
        network.Allocate(Math.Max(batchSize, Math.Min(validationRows.Length, 1024)));
        // Every step's backward writes each gradient afresh, so the gradients are never cleared.
        var context = new LayerContext(new RandomGenerator(settings.Seed ^ 0x5DEECE66DL), settings.Threads) { AccumulateGradients = false };
        var loss = CreateLoss(spec, settings.HuberDelta);
        var optimizer = OptimizerFactory.Create(
            settings.Optimizer,
            new OptimizerOptions { LearningRate = settings.LearningRate, Momentum = settings.Momentum, Nesterov = settings.Nesterov, WeightDecay = settings.L2Regularization },
            network.Parameters.Length,
            network.DecayedRanges());
        optimizer.Threads = settings.Threads;
        var schedule = settings.Schedule;
        var earlyStopping = validationRows.Length > 0 && settings.EarlyStoppingPatience > 0
            ? new EarlyStopping(settings.EarlyStoppingPatience)
            : null;

        var outputSize = spec.OutputSize;
        var maxRows = Math.Max(batchSize, Math.Min(validationRows.Length, 1024));
        var batchInput = new float[maxRows * spec.InputSize];
        var batchTargets = new float[maxRows];
        var batchWeights = data.Weights is null ? [] : new float[maxRows];
        var outputGradient = new float[maxRows * outputSize];
        var bestParameters = (float[])network.Parameters.Clone();
        var bestBuffers = (float[])network.Buffers.Clone();
        var bestEpoch = 0;
        var history = new List<TrainingEpoch>();
        var stopwatch = Stopwatch.StartNew();
        var diagnostics = settings.Diagnostics is null ? null : new DiagnosticsCollector(network, settings.Diagnostics, maxRows);
        if (diagnostics is not null && settings.Diagnostics!.MeasureInitialState)
        {
            var sample = DiagnosticsCollector.StridedSample(trainRows, batchSize);
            Gather(data, network, sample, batchInput, batchTargets, batchWeights);
            diagnostics.MeasureInitialState(batchInput, batchTargets, batchWeights, sample.Length, loss, outputGradient, settings.Threads, settings.Seed);
        }

        for (var epoch = 1; epoch <= settings.NumberOfEpochs; epoch++)
        {
            var learningRate = schedule is null ? settings.LearningRate : (float)schedule.LearningRate(epoch - 1);
            random.Shuffle(trainRows);
            context.Training = true;
            diagnostics?.BeginEpoch();
            double lossSum = 0, weightSum = 0;
            for (var start = 0; start < trainRows.Length; start += batchSize)
            {
                settings.ThrowIfCancelled();
                var batch = Math.Min(batchSize, trainRows.Length - start);
                var rows = trainRows.AsSpan(start, batch);
                Gather(data, network, rows, batchInput, batchTargets, batchWeights);
                var output = network.Forward(batchInput, batch, context);
                var weights = batchWeights.Length == 0 ? ReadOnlySpan<float>.Empty : batchWeights.AsSpan(0, batch);
                var batchLoss = loss.LossAndGradient(output, batchTargets.AsSpan(0, batch), weights, batch, outputGradient.AsSpan(0, batch * outputSize));
                if (!double.IsFinite(batchLoss))
                {
                    throw new InvalidOperationException(
                        $"Training diverged in epoch {epoch}: the loss became {batchLoss}. Lower the learning rate (now {learningRate}), set GradientClipNorm, or check the data for extreme values.");
                }

                network.Backward(outputGradient.AsSpan(0, batch * outputSize), batch, context);
                diagnostics?.ObserveStep(batch);
                if (settings.GradientClipNorm > 0)
                {
                    GradientClipping.ClipByGlobalNorm(network.Gradients, settings.GradientClipNorm);
                }

                optimizer.Step(network.Parameters, network.Gradients, learningRate);
                var batchWeight = weights.IsEmpty ? batch : System.Numerics.Tensors.TensorPrimitives.Sum(weights);
                lossSum += batchLoss * batchWeight;
                weightSum += batchWeight;
            }

            diagnostics?.EndEpoch(epoch);
            var trainingLoss = lossSum / Math.Max(weightSum, double.Epsilon);
            double? validationLoss = null, validationMetric = null;
            if (validationRows.Length > 0)
            {
                (validationLoss, validationMetric) = Evaluate(network, data, validationRows, loss, context, batchInput, batchTargets, batchWeights, maxRows, settings);
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

            if (earlyStopping.Report(epoch, validationLoss!.Value))
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
            network.ReplaceRunningStatisticsWithPopulationStatistics(() => GatherAll(data, network, trainRows, batchInput, batchTargets, batchWeights, maxRows, settings), context);
        }

        if (!System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<float>(network.Parameters))
        {
            throw new InvalidOperationException("Training produced a parameter that is NaN or infinite; the model is not returned. Lower the learning rate or set GradientClipNorm.");
        }

        return new TrainingResult(network, history, bestEpoch) { Diagnostics = diagnostics?.Result() };
    }

    /// <summary>The loss the network's task trains with.</summary>
    internal static LossFunction CreateLoss(NetworkSpec spec, float huberDelta) => spec.Task switch
    {
        TaskKind.Multiclass => new SoftmaxCrossEntropyLoss(spec.ClassCount),
        TaskKind.Binary => new SigmoidBinaryCrossEntropyLoss(1),
        _ => huberDelta > 0 ? new HuberLoss(1, huberDelta) : new MeanSquaredErrorLoss(1),
    };

    private static (int[] Train, int[] Validation) Split(TrainingData data, NetworkSpec spec, float fraction, RandomGenerator random)
    {
        var all = Enumerable.Range(0, data.Rows).ToArray();
        if (fraction <= 0 || data.Rows < 2)
        {
            return (all, []);
        }

        var validation = new List<int>();
        var train = new List<int>();
        if (spec.Task == TaskKind.Regression)
        {
            random.Shuffle(all);
            var count = Math.Clamp((int)Math.Round(fraction * data.Rows), 1, data.Rows - 1);
            return (all[count..], all[..count]);
        }

        // Stratified: each class gives its share, and keeps at least one training row.
        foreach (var group in all.GroupBy(r => data.Labels[r]).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            var count = Math.Min((int)Math.Round(fraction * members.Length), members.Length - 1);
            validation.AddRange(members[..count]);
            train.AddRange(members[count..]);
        }

        if (validation.Count == 0)
        {
            return (all, []);
        }

        return (train.Order().ToArray(), validation.Order().ToArray());
    }

    private static void FitStandardization(SequentialNetwork network, TrainingData data, int[] rows, TrainingSettings settings)
    {
        var columns = data.Columns;
        if (settings.StandardizeFeatures)
        {
            var sum = new double[columns];
            var sumSquares = new double[columns];
            for (var i = 0; i < rows.Length; i++)
            {
                if (i % RowsPerCancellationCheck == 0)
                {
                    settings.ThrowIfCancelled();
                }

                var row = data.Row(rows[i]);
                for (var c = 0; c < columns; c++)
                {
                    sum[c] += row[c];
                }
            }

            for (var c = 0; c < columns; c++)
            {
                sum[c] /= rows.Length;
            }

            for (var i = 0; i < rows.Length; i++)
            {
                if (i % RowsPerCancellationCheck == 0)
                {
                    settings.ThrowIfCancelled();
                }

                var row = data.Row(rows[i]);
                for (var c = 0; c < columns; c++)
                {
                    var d = row[c] - sum[c];
                    sumSquares[c] += d * d;
                }
            }

            for (var c = 0; c < columns; c++)
            {
                var std = Math.Sqrt(sumSquares[c] / rows.Length);
                network.InputMean[c] = (float)sum[c];
                network.InputScale[c] = std > 1e-12 ? (float)(1 / std) : 1f;
            }
        }

        if (network.Spec.Task == TaskKind.Regression)
        {
            double mean = 0, squares = 0;
            foreach (var r in rows)
            {
                mean += data.Labels[r];
            }

            mean /= rows.Length;
            foreach (var r in rows)
            {
                var d = data.Labels[r] - mean;
                squares += d * d;
            }

            var std = Math.Sqrt(squares / rows.Length);
            network.TargetMean = (float)mean;
            network.TargetStd = std > 1e-12 ? (float)std : 1f;
        }
    }

    private static void Gather(TrainingData data, SequentialNetwork network, ReadOnlySpan<int> rows, float[] input, float[] targets, float[] weights)
    {
        var columns = data.Columns;
        var regression = network.Spec.Task == TaskKind.Regression;
        var mean = network.TargetMean;
        var inverseStd = 1f / network.TargetStd;
        for (var i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            data.Row(r).CopyTo(input.AsSpan(i * columns, columns));
            targets[i] = regression ? (data.Labels[r] - mean) * inverseStd : data.Labels[r];
            if (weights.Length > 0)
            {
                weights[i] = data.Weights![r];
            }
        }
    }

    private static IEnumerable<(float[] Rows, int Count)> GatherAll(TrainingData data, SequentialNetwork network, int[] rows, float[] input, float[] targets, float[] weights, int maxRows, TrainingSettings settings)
    {
        for (var start = 0; start < rows.Length; start += maxRows)
        {
            settings.ThrowIfCancelled();
            var batch = Math.Min(maxRows, rows.Length - start);
            Gather(data, network, rows.AsSpan(start, batch), input, targets, weights);
            yield return (input, batch);
        }
    }

    private static (double Loss, double Metric) Evaluate(
        SequentialNetwork network,
        TrainingData data,
        int[] rows,
        LossFunction loss,
        LayerContext context,
        float[] batchInput,
        float[] batchTargets,
        float[] batchWeights,
        int maxRows,
        TrainingSettings settings)
    {
        context.Training = false;
        var outputSize = network.Spec.OutputSize;
        var task = network.Spec.Task;
        double lossSum = 0, weightSum = 0, metricSum = 0;
        for (var start = 0; start < rows.Length; start += maxRows)
        {
            settings.ThrowIfCancelled();
            var batch = Math.Min(maxRows, rows.Length - start);
            Gather(data, network, rows.AsSpan(start, batch), batchInput, batchTargets, batchWeights);
            var output = network.Forward(batchInput, batch, context);
            var weights = batchWeights.Length == 0 ? ReadOnlySpan<float>.Empty : batchWeights.AsSpan(0, batch);
            lossSum += loss.LossSum(output, batchTargets.AsSpan(0, batch), weights, batch);
            for (var i = 0; i < batch; i++)
            {
                var w = weights.IsEmpty ? 1.0 : weights[i];
                weightSum += w;
                var prediction = output.Slice(i * outputSize, outputSize);
                metricSum += w * task switch
                {
                    TaskKind.Multiclass => System.Numerics.Tensors.TensorPrimitives.IndexOfMax(prediction) == (int)batchTargets[i] ? 1 : 0,
                    TaskKind.Binary => (prediction[0] > 0) == (batchTargets[i] > 0.5f) ? 1 : 0,
                    _ => Square((prediction[0] - batchTargets[i]) * network.TargetStd),
                };
            }
        }

        context.Training = true;
        var metric = metricSum / weightSum;
        return (lossSum / weightSum, task == TaskKind.Regression ? Math.Sqrt(metric) : metric);
    }

    private static double Square(double x) => x * x;
}
