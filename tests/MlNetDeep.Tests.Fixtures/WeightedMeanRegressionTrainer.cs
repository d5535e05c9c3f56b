using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetDeep.Data;
using MlNetDeep.Internal;
using MlNetDeep.Training;

namespace MlNetDeep.Tests.Fixtures;

/// <summary>
/// The smallest <see cref="TabularTrainerBase{TTransformer, TModel}"/> for regression: it predicts the weighted mean
/// label (zero weights, the mean as bias). The tests fit it in ML.NET pipelines to check the trainer plumbing; it
/// lives here because this assembly, like src/MlNetDeep, compiles against ML.NET's internal trainer members.
/// </summary>
internal sealed class WeightedMeanRegressionTrainer : TabularTrainerBase<RegressionPredictionTransformer<LinearScorerModelParameters>, LinearScorerModelParameters>
{
    private readonly IHostEnvironment _environment;

    /// <summary>Creates the trainer for the given columns.</summary>
    public WeightedMeanRegressionTrainer(IHostEnvironment environment, string featureColumnName, string labelColumnName, string? exampleWeightColumnName)
        : base(environment, nameof(WeightedMeanRegressionTrainer), TaskKind.Regression, featureColumnName, labelColumnName, exampleWeightColumnName)
    {
        _environment = environment;
    }

    /// <inheritdoc/>
    protected override LinearScorerModelParameters Train(LoadedTrainingData training, LoadedTrainingData? validation)
    {
        double sum = 0, total = 0;
        for (var i = 0; i < training.Data.Rows; i++)
        {
            var weight = training.Data.Weights?[i] ?? 1f;
            sum += weight * training.Data.Labels[i];
            total += weight;
        }

        return new LinearScorerModelParameters(_environment, TaskKind.Regression, new float[training.Data.Columns], (float)(sum / total));
    }

    /// <inheritdoc/>
    protected override RegressionPredictionTransformer<LinearScorerModelParameters> CreateTransformer(LinearScorerModelParameters model, DataViewSchema trainSchema)
        => PredictionTransformers.Regression(_environment, model, trainSchema, FeatureColumn.Name);
}
