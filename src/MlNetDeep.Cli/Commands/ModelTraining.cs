using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Cli.Data;
using MlNetDeep.Cli.Reporting;
using MlNetDeep.Training;
using Spectre.Console;

namespace MlNetDeep.Cli.Commands;

/// <summary>
/// Builds and fits the whole pipeline of <c>mlnetdeep train</c>: label conversion, featurization, the MlNetDeep
/// trainer for the task, and then for multiclass <c>MapKeyToValue</c> so <c>PredictedLabel</c> holds the class name,
/// for binary a <see cref="PredictedClassColumn"/> with the predicted label value as it was in the data.
/// Progress comes from the trainer's <see cref="FeedForwardTrainerOptionsBase.Progress"/>; the learning curve from the
/// model's <see cref="FeedForwardModelParameters.TrainingHistory"/>; with <see cref="TrainSettings.Diagnostics"/> on, the
/// model's <see cref="FeedForwardModelParameters.Diagnostics"/> come back too.
/// </summary>
internal static class ModelTraining
{
    /// <summary>The column of binary models that holds the predicted label value as it was in the data.</summary>
    public const string PredictedClassColumn = "PredictedClass";

    /// <summary>Fits the pipeline on <paramref name="trainSet"/> while showing progress.</summary>
    /// <exception cref="CliException">The trainer rejected the data or the options.</exception>
    public static (ITransformer Model, IReadOnlyList<TrainingEpoch> History, int BestEpoch, FeedForwardDiagnostics? Diagnostics) Train(IAnsiConsole console, MLContext mlContext, DatasetSchema schema, IDataView trainSet, TrainSettings settings)
    {
        var featurizer = Featurization.ConvertLabel(mlContext, schema).Append(Featurization.Featurize(mlContext, schema)).Fit(trainSet);
        var featurized = featurizer.Transform(trainSet);
        var maxEpochs = settings.Epochs ?? FeedForwardTrainerOptionsBase.Defaults.NumberOfEpochs;
        var metricName = schema.Task == TaskKind.Regression ? "RMSE" : "accuracy";

        var (predictor, model) = TrainingProgress.Run(console, maxEpochs, metricName, progress =>
        {
            try
            {
                return Fit(mlContext, schema, featurized, settings, progress);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                throw new CliException($"Training failed: {e.Message}");
            }
        });

        var history = model.TrainingHistory;
        console.MarkupLine(Markup.Escape(model.ToString()));
        var units = model.HiddenLayers.Count == 0 ? "none" : string.Join(", ", model.HiddenLayers.Select(l => l.Units));
        console.MarkupLine(Markup.Escape($"Hidden layers: {units}; kept the weights of epoch {model.BestEpoch} of {history.Count}."));
        return (Assemble(mlContext, schema, featurizer, predictor, featurized), history, model.BestEpoch, model.Diagnostics);
    }

    /// <summary>
    /// The whole saved pipeline: <paramref name="featurizer"/>, then <paramref name="predictor"/>, then for multiclass
    /// <c>MapKeyToValue</c> on the predicted label and for binary the <see cref="PredictedClassColumn"/> with the label
    /// value as it was in the data.
    /// </summary>
    public static ITransformer Assemble(MLContext mlContext, DatasetSchema schema, ITransformer featurizer, ITransformer predictor, IDataView featurized)
    {
        var stages = new List<ITransformer> { featurizer, predictor };
        if (schema.Task == TaskKind.Multiclass)
        {
            stages.Add(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(predictor.Transform(featurized)));
        }
        else if (schema.Task == TaskKind.Binary)
        {
            stages.Add(mlContext.Transforms.Conversion.MapValue(
                PredictedClassColumn,
                [new KeyValuePair<bool, string>(false, schema.Classes[0]), new KeyValuePair<bool, string>(true, schema.Classes[1])],
                "PredictedLabel").Fit(predictor.Transform(featurized)));
        }

        return new TransformerChain<ITransformer>([.. stages]);
    }

    private static (ITransformer Predictor, FeedForwardModelParameters Model) Fit(MLContext mlContext, DatasetSchema schema, IDataView featurized, TrainSettings settings, IProgress<TrainingEpoch> progress)
    {
        switch (schema.Task)
        {
            case TaskKind.Multiclass:
                var multiclass = mlContext.MulticlassClassification.Trainers.FeedForward(Configure(new FeedForwardMulticlassTrainer.Options(), schema, settings, progress)).Fit(featurized);
                return (multiclass, multiclass.Model);
            case TaskKind.Binary:
                var binary = mlContext.BinaryClassification.Trainers.FeedForward(Configure(new FeedForwardBinaryTrainer.Options(), schema, settings, progress)).Fit(featurized);
                return (binary, binary.Model);
            default:
                var regression = mlContext.Regression.Trainers.FeedForward(Configure(new FeedForwardRegressionTrainer.Options(), schema, settings, progress)).Fit(featurized);
                return (regression, regression.Model);
        }
    }

    private static T Configure<T>(T options, DatasetSchema schema, TrainSettings settings, IProgress<TrainingEpoch> progress)
        where T : FeedForwardTrainerOptionsBase
    {
        options.Progress = progress;
        options.LabelColumnName = schema.Label;
        options.FeatureColumnName = Featurization.FeaturesColumn;
        options.Seed = settings.Seed;
        if (settings.Hidden is { } hidden)
        {
            options.HiddenLayers = hidden;
        }

        options.Activation = settings.Activation ?? options.Activation;
        options.Normalization = settings.Normalization ?? options.Normalization;
        options.DropoutRate = settings.Dropout ?? options.DropoutRate;
        options.NumberOfEpochs = settings.Epochs ?? options.NumberOfEpochs;
        options.LearningRate = settings.LearningRate ?? options.LearningRate;
        options.BatchSize = settings.BatchSize ?? options.BatchSize;
        options.Diagnostics = settings.Diagnostics;
        return settings.Training.ApplyTo(options);
    }
}
