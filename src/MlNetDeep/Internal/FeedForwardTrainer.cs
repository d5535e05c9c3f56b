using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlNetDeep.Data;
using MlNetDeep.Diagnostics;
using MlNetDeep.Training;

namespace MlNetDeep.Internal;

/// <summary>
/// The ML.NET trainer behind <see cref="FeedForwardMulticlassTrainer"/>, <see cref="FeedForwardBinaryTrainer"/> and
/// <see cref="FeedForwardRegressionTrainer"/> (which delegate to it, so their public surface shows no ML.NET
/// internals): it hands the rows read by <see cref="TabularTrainerBase{TTransformer, TModel}"/> to the engine's
/// <see cref="NetworkTrainer"/>, reports every epoch to the options' <see cref="FeedForwardTrainerOptionsBase.Progress"/>
/// and logs it through ML.NET's channel, and wraps the network in ML.NET's prediction transformer for the task.
/// Training stops with <see cref="OperationCanceledException"/> when the options' cancellation token is cancelled or
/// the host is (<c>MLContext.CancelExecution</c>, which the host's <c>CheckAlive</c> reports), checked before the
/// data is read and before every mini-batch.
/// </summary>
/// <typeparam name="TTransformer">ML.NET's prediction transformer for the task, over <see cref="FeedForwardModelParameters"/>.</typeparam>
internal sealed class FeedForwardTrainer<TTransformer> : TabularTrainerBase<TTransformer, FeedForwardModelParameters>
    where TTransformer : class, ISingleFeaturePredictionTransformer<FeedForwardModelParameters>
{
    private readonly IHostEnvironment _environment;
    private readonly FeedForwardSettings _settings;

    /// <summary>Creates the trainer; <paramref name="options"/> are checked and copied.</summary>
    public FeedForwardTrainer(IHostEnvironment environment, string name, TaskKind task, FeedForwardTrainerOptionsBase options)
        : this(environment, name, task, new FeedForwardSettings(options))
    {
    }

    private FeedForwardTrainer(IHostEnvironment environment, string name, TaskKind task, FeedForwardSettings settings)
        : base(environment, name, task, settings.FeatureColumnName, settings.LabelColumnName, settings.ExampleWeightColumnName)
    {
        _environment = environment;
        _settings = settings;
    }

    /// <summary>The most validation rows a streamed training holds in memory.</summary>
    internal const int StreamingValidationRows = 50_000;

    /// <summary>
    /// Reads the training rows into memory, dense or sparse, or streams them, as
    /// <see cref="FeedForwardTrainerOptionsBase.DataLoading"/> says (with <see cref="DataLoading.Auto"/>, sparse when the
    /// first row is sparse, the network takes sparse rows and they hold few enough non-zeros, else by the size of the dense
    /// copy against the memory available, and logs the choice), then trains.
    /// </summary>
    public override FeedForwardModelParameters TrainModelCore(TrainContext trainContext)
    {
        ArgumentNullException.ThrowIfNull(trainContext);
        ThrowIfCancelled();
        if (trainContext.ValidationSet is not null)
        {
            throw new NotSupportedException("The feed-forward trainers hold out their own validation rows (ValidationFraction); a separate validation set is not supported.");
        }

        var data = trainContext.TrainingSet.Data;
        var weightColumnName = WeightColumn.IsValid ? WeightColumn.Name : null;
        var columns = TrainingColumns.Find(data.Schema, FeatureColumn.Name, LabelColumn.Name, Task, weightColumnName);
        var loading = _settings.DataLoading;
        long? rowCount = null;
        if (loading == DataLoading.Sparse
            || (loading == DataLoading.Auto && _settings.CreateSpec(columns.FeatureCount, Task, columns.ClassCount, sparseRows: true).TakesSparseRows && TrainingDataReader.FirstRowIsSparse(data, columns)))
        {
            var sparse = TrainingDataReader.ReadSparse(data, columns);
            WarnSkipped(sparse.SkippedRowCount);
            var rows = string.Create(CultureInfo.InvariantCulture, $"{sparse.Data.Rows} sparse rows ({sparse.Data.NonZeroCount} non-zeros)");
            if (loading == DataLoading.Sparse)
            {
                return TrainNetwork(new InMemorySparseBatchSource(sparse.Data), sparse.ClassCount, sparse.ClassNames, rows, sparse.Data.Rows);
            }

            var maxDensity = FeedForwardTrainerOptionsBase.Defaults.MaxSparseDensity;
            if (sparse.Density <= maxDensity)
            {
                LogChoice(string.Create(CultureInfo.InvariantCulture, $"DataLoading Auto chose Sparse: the rows are sparse and {sparse.Density * 100:F2}% of their {(long)sparse.Data.Rows * columns.FeatureCount} feature values are non-zero, at most {maxDensity * 100:F2}%."));
                return TrainNetwork(new InMemorySparseBatchSource(sparse.Data), sparse.ClassCount, sparse.ClassNames, rows, sparse.Data.Rows);
            }

            var denseBytes = (long)sparse.Data.Rows * columns.FeatureCount * sizeof(float);
            if (denseBytes <= AvailableMemory() / 4)
            {
                LogChoice(string.Create(CultureInfo.InvariantCulture, $"DataLoading Auto chose InMemory: the rows are sparse, but {sparse.Density * 100:F2}% of their feature values are non-zero, more than {maxDensity * 100:F2}%; their dense copy takes {denseBytes / 1e6:F0} MB."));
                return Train(sparse.Densify(), null);
            }

            // Too dense to keep sparse and too large to densify: the rows are streamed, as their size says.
            rowCount = sparse.Data.Rows + sparse.SkippedRowCount;
        }

        var streaming = loading == DataLoading.Streaming;
        if (loading == DataLoading.Auto)
        {
            rowCount ??= data.GetRowCount() ?? TrainingDataReader.CountRows(data);
            var bytes = rowCount.Value * columns.FeatureCount * sizeof(float);
            var available = AvailableMemory();
            streaming = bytes > available / 4;
            LogChoice(string.Create(CultureInfo.InvariantCulture, $"DataLoading Auto chose {(streaming ? "Streaming" : "InMemory")}: the dense features of {rowCount} rows take {bytes / 1e6:F0} MB, {(streaming ? "more" : "less")} than a quarter of the {available / 1e6:F0} MB available."));
        }

        ThrowIfCancelled();
        if (streaming)
        {
            var source = new StreamingBatchSource(data, columns, _settings.ShuffleBufferRows, StreamingValidationRows);
            var model = TrainNetwork(source, columns.ClassCount, columns.ClassNames(), "streamed rows", null);
            WarnSkipped(source.SkippedRowCount);
            return model;
        }

        var training = TrainingDataReader.Read(data, FeatureColumn.Name, LabelColumn.Name, Task, weightColumnName, rowCount);
        WarnSkipped(training.SkippedRowCount);
        return Train(training, null);
    }

    private static long AvailableMemory() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    private void LogChoice(string message)
    {
        using var channel = Host.Start("Data loading");
        channel.Info(message);
    }

    /// <inheritdoc/>
    protected override FeedForwardModelParameters Train(LoadedTrainingData training, LoadedTrainingData? validation)
    {
        if (validation is not null)
        {
            throw new NotSupportedException("The feed-forward trainers hold out their own validation rows (ValidationFraction); a separate validation set is not supported.");
        }

        return TrainNetwork(new InMemoryBatchSource(training.Data), training.ClassCount, training.ClassNames, string.Create(CultureInfo.InvariantCulture, $"{training.Data.Rows} rows"), training.Data.Rows);
    }

    /// <param name="source">The training rows.</param>
    /// <param name="classCount">The classes of a classification task.</param>
    /// <param name="classNames">The class names, or null.</param>
    /// <param name="rows">The rows, described for the log.</param>
    /// <param name="rowCount">The rows before the validation split, or null when streamed (their count is not read first).</param>
    private FeedForwardModelParameters TrainNetwork(IBatchSource source, int classCount, string[]? classNames, string rows, long? rowCount)
    {
        var seed = _settings.Seed ?? MlNetEnvironment.Seed(_environment) ?? Host.Rand.Next();
        var threads = _settings.Threads ?? Environment.ProcessorCount;
        var spec = _settings.CreateSpec(source.Columns, Task, classCount, sparseRows: source is ISparseBatchSource, rowCount);
        var trainingSettings = _settings.CreateTrainingSettings(seed, threads, Host.CheckAlive);

        using var channel = Host.Start("Training");
        channel.Info(string.Create(CultureInfo.InvariantCulture, $"Training a feed-forward network on {rows} of {source.Columns} features ({Task.ToPredictionKind()}{(Task == TaskKind.Multiclass ? $", {classCount} classes" : "")}): hidden layers [{string.Join(", ", spec.HiddenLayers.Select(l => l.Units))}], {trainingSettings.NumberOfEpochs} epochs at most, seed {seed}, {threads} threads."));
        var metricName = Task == TaskKind.Regression ? "RMSE" : "accuracy";
        var progress = _settings.Progress;
        var result = NetworkTrainer.Train(spec, source, trainingSettings, epoch =>
        {
            // For people reading the log; programs get the record itself from Progress.
            channel.Info(string.Create(
                CultureInfo.InvariantCulture,
                $"Epoch {epoch.Epoch}: training loss {epoch.TrainingLoss:G5}{(epoch.ValidationLoss is { } loss ? $", validation loss {loss:G5}" : "")}{(epoch.ValidationMetric is { } metric ? $", validation {metricName} {metric:G5}" : "")}, learning rate {epoch.LearningRate:G3}, {epoch.ElapsedSeconds:F2} s"));
            progress?.Report(epoch);
        });
        channel.Info(string.Create(CultureInfo.InvariantCulture, $"Training finished after {result.History.Count} epochs; the model keeps the weights of epoch {result.BestEpoch}."));

        if (result.Diagnostics is { } diagnostics)
        {
            LogDiagnostics(channel, diagnostics);
        }

        return new FeedForwardModelParameters(_environment, result.Network, classNames, result.History, result.BestEpoch, result.Diagnostics, _settings.MonteCarloDropoutPasses);
    }

    private void WarnSkipped(long skipped)
    {
        if (skipped > 0)
        {
            using var channel = Host.Start("Reading training data");
            channel.Warning($"Skipped {skipped} rows with a missing label in column '{LabelColumn.Name}'.");
        }
    }

    private void ThrowIfCancelled()
    {
        _settings.CancellationToken.ThrowIfCancellationRequested();
        Host.CheckAlive();
    }

    /// <summary>
    /// Logs the diagnostics' summary, then one warning per hidden layer whose gradients vanished or exploded in some
    /// epoch: how many epochs, and the description of the last one.
    /// </summary>
    private static void LogDiagnostics(IChannel channel, TrainingDiagnostics diagnostics)
    {
        foreach (var line in diagnostics.Summarize().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            channel.Info(line);
        }

        var epochs = diagnostics.Epochs.Count;
        foreach (var layer in diagnostics.FindGradientProblems().GroupBy(w => w.Block).OrderBy(g => g.Key))
        {
            var last = layer.Last();
            channel.Warning(string.Create(CultureInfo.InvariantCulture, $"Hidden layer {layer.Key}: {last.Problem.ToString().ToLowerInvariant()} gradients in {layer.Count()} of {epochs} epochs (epoch 0 is the initial state). Last: {last.Message}"));
        }
    }

    /// <inheritdoc/>
    protected override TTransformer CreateTransformer(FeedForwardModelParameters model, DataViewSchema trainSchema) => Task switch
    {
        TaskKind.Multiclass => (TTransformer)(object)PredictionTransformers.Multiclass(_environment, model, trainSchema, FeatureColumn.Name, LabelColumn.Name),
        TaskKind.Binary => (TTransformer)(object)PredictionTransformers.Binary(_environment, model, trainSchema, FeatureColumn.Name),
        _ => (TTransformer)(object)PredictionTransformers.Regression(_environment, model, trainSchema, FeatureColumn.Name),
    };
}
