using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetDeep.Data;
using MlNetDeep.Internal;
using MlNetDeep.Training;

namespace MlNetDeep.Tests.Fixtures;

/// <summary>
/// The smallest multiclass <see cref="TabularTrainerBase{TTransformer, TModel}"/>: every row scores the classes'
/// frequencies in the training data. A test fixture of the trainer plumbing, like <see cref="WeightedMeanRegressionTrainer"/>.
/// </summary>
internal sealed class ClassFrequencyTrainer : TabularTrainerBase<MulticlassPredictionTransformer<LinearMulticlassScorerModelParameters>, LinearMulticlassScorerModelParameters>
{
    private readonly IHostEnvironment _environment;

    /// <summary>Creates the trainer for the given columns.</summary>
    public ClassFrequencyTrainer(IHostEnvironment environment, string featureColumnName, string labelColumnName)
        : base(environment, nameof(ClassFrequencyTrainer), TaskKind.Multiclass, featureColumnName, labelColumnName, exampleWeightColumnName: null)
    {
        _environment = environment;
    }

    /// <inheritdoc/>
    protected override LinearMulticlassScorerModelParameters Train(LoadedTrainingData training, LoadedTrainingData? validation)
    {
        var frequencies = new float[training.ClassCount];
        foreach (var label in training.Data.Labels)
        {
            frequencies[(int)label] += 1f;
        }

        for (var c = 0; c < frequencies.Length; c++)
        {
            frequencies[c] /= training.Data.Rows;
        }

        return new LinearMulticlassScorerModelParameters(_environment, new float[training.ClassCount * training.Data.Columns], frequencies);
    }

    /// <inheritdoc/>
    protected override MulticlassPredictionTransformer<LinearMulticlassScorerModelParameters> CreateTransformer(LinearMulticlassScorerModelParameters model, DataViewSchema trainSchema)
        => PredictionTransformers.Multiclass(_environment, model, trainSchema, FeatureColumn.Name, LabelColumn.Name);
}
