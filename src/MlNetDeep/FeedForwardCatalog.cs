using MlNetDeep;
using MlNetDeep.Internal;
using Defaults = MlNetDeep.FeedForwardTrainerOptionsBase.Defaults;

namespace Microsoft.ML;

/// <summary>
/// Adds the feed-forward neural network trainers to ML.NET's catalogs:
/// <c>mlContext.MulticlassClassification.Trainers.FeedForward(...)</c>,
/// <c>mlContext.BinaryClassification.Trainers.FeedForward(...)</c> and
/// <c>mlContext.Regression.Trainers.FeedForward(...)</c>.
/// </summary>
public static class FeedForwardCatalog
{
    /// <summary>
    /// Creates a <see cref="FeedForwardMulticlassTrainer"/>, which trains a feed-forward neural network to predict a
    /// key-typed label (use <c>mlContext.Transforms.Conversion.MapValueToKey</c> on the label first).
    /// </summary>
    /// <param name="catalog">The multiclass classification trainers catalog.</param>
    /// <param name="labelColumnName">The label column, a key type.</param>
    /// <param name="featureColumnName">The feature column, a known-size vector of <c>Single</c>.</param>
    /// <param name="exampleWeightColumnName">An optional <c>Single</c> column of example weights.</param>
    /// <param name="hiddenLayers">The units of each hidden layer; null for <see cref="FeedForwardTrainerOptionsBase.Defaults.HiddenLayers"/>, empty for none.</param>
    /// <param name="activation">The activation after each hidden layer.</param>
    /// <param name="numberOfEpochs">The largest number of passes over the training rows.</param>
    /// <param name="learningRate">The initial learning rate.</param>
    public static FeedForwardMulticlassTrainer FeedForward(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = Defaults.LabelColumnName,
        string featureColumnName = Defaults.FeatureColumnName,
        string? exampleWeightColumnName = Defaults.ExampleWeightColumnName,
        int[]? hiddenLayers = null,
        Activation activation = Defaults.Activation,
        int numberOfEpochs = Defaults.NumberOfEpochs,
        float learningRate = Defaults.LearningRate)
        => FeedForward(catalog, Simple(new FeedForwardMulticlassTrainer.Options(), labelColumnName, featureColumnName, exampleWeightColumnName, hiddenLayers, activation, numberOfEpochs, learningRate));

    /// <summary>Creates a <see cref="FeedForwardMulticlassTrainer"/> with every option given.</summary>
    /// <param name="catalog">The multiclass classification trainers catalog.</param>
    /// <param name="options">The trainer's options; they are checked here and copied by the trainer.</param>
    public static FeedForwardMulticlassTrainer FeedForward(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, FeedForwardMulticlassTrainer.Options options)
        => new(MlNetEnvironment.Of(catalog), options);

    /// <summary>
    /// Creates a <see cref="FeedForwardBinaryTrainer"/>, which trains a feed-forward neural network to predict a
    /// <c>Boolean</c> label, with a calibrated <c>Probability</c> column.
    /// </summary>
    /// <param name="catalog">The binary classification trainers catalog.</param>
    /// <param name="labelColumnName">The label column, <c>Boolean</c>.</param>
    /// <param name="featureColumnName">The feature column, a known-size vector of <c>Single</c>.</param>
    /// <param name="exampleWeightColumnName">An optional <c>Single</c> column of example weights.</param>
    /// <param name="hiddenLayers">The units of each hidden layer; null for <see cref="FeedForwardTrainerOptionsBase.Defaults.HiddenLayers"/>, empty for none.</param>
    /// <param name="activation">The activation after each hidden layer.</param>
    /// <param name="numberOfEpochs">The largest number of passes over the training rows.</param>
    /// <param name="learningRate">The initial learning rate.</param>
    public static FeedForwardBinaryTrainer FeedForward(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = Defaults.LabelColumnName,
        string featureColumnName = Defaults.FeatureColumnName,
        string? exampleWeightColumnName = Defaults.ExampleWeightColumnName,
        int[]? hiddenLayers = null,
        Activation activation = Defaults.Activation,
        int numberOfEpochs = Defaults.NumberOfEpochs,
        float learningRate = Defaults.LearningRate)
        => FeedForward(catalog, Simple(new FeedForwardBinaryTrainer.Options(), labelColumnName, featureColumnName, exampleWeightColumnName, hiddenLayers, activation, numberOfEpochs, learningRate));

    /// <summary>Creates a <see cref="FeedForwardBinaryTrainer"/> with every option given.</summary>
    /// <param name="catalog">The binary classification trainers catalog.</param>
    /// <param name="options">The trainer's options; they are checked here and copied by the trainer.</param>
    public static FeedForwardBinaryTrainer FeedForward(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, FeedForwardBinaryTrainer.Options options)
        => new(MlNetEnvironment.Of(catalog), options);

    /// <summary>
    /// Creates a <see cref="FeedForwardRegressionTrainer"/>, which trains a feed-forward neural network to predict a
    /// numeric label on its own scale.
    /// </summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">The label column, <c>Single</c> (or <c>Double</c>, <c>Int32</c>).</param>
    /// <param name="featureColumnName">The feature column, a known-size vector of <c>Single</c>.</param>
    /// <param name="exampleWeightColumnName">An optional <c>Single</c> column of example weights.</param>
    /// <param name="hiddenLayers">The units of each hidden layer; null for <see cref="FeedForwardTrainerOptionsBase.Defaults.HiddenLayers"/>, empty for none.</param>
    /// <param name="activation">The activation after each hidden layer.</param>
    /// <param name="numberOfEpochs">The largest number of passes over the training rows.</param>
    /// <param name="learningRate">The initial learning rate.</param>
    public static FeedForwardRegressionTrainer FeedForward(
        this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = Defaults.LabelColumnName,
        string featureColumnName = Defaults.FeatureColumnName,
        string? exampleWeightColumnName = Defaults.ExampleWeightColumnName,
        int[]? hiddenLayers = null,
        Activation activation = Defaults.Activation,
        int numberOfEpochs = Defaults.NumberOfEpochs,
        float learningRate = Defaults.LearningRate)
        => FeedForward(catalog, Simple(new FeedForwardRegressionTrainer.Options(), labelColumnName, featureColumnName, exampleWeightColumnName, hiddenLayers, activation, numberOfEpochs, learningRate));

    /// <summary>Creates a <see cref="FeedForwardRegressionTrainer"/> with every option given.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="options">The trainer's options; they are checked here and copied by the trainer.</param>
    public static FeedForwardRegressionTrainer FeedForward(this RegressionCatalog.RegressionTrainers catalog, FeedForwardRegressionTrainer.Options options)
        => new(MlNetEnvironment.Of(catalog), options);

    private static TOptions Simple<TOptions>(TOptions options, string labelColumnName, string featureColumnName, string? exampleWeightColumnName, int[]? hiddenLayers, Activation activation, int numberOfEpochs, float learningRate)
        where TOptions : FeedForwardTrainerOptionsBase
    {
        options.LabelColumnName = labelColumnName;
        options.FeatureColumnName = featureColumnName;
        options.ExampleWeightColumnName = exampleWeightColumnName;
        if (hiddenLayers is not null)
        {
            options.HiddenLayers = hiddenLayers;
        }

        options.Activation = activation;
        options.NumberOfEpochs = numberOfEpochs;
        options.LearningRate = learningRate;
        return options;
    }
}
