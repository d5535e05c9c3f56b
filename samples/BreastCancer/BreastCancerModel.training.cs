// Training code in the shape ML.NET Model Builder generates: the pipeline, training, evaluation and saving.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Samples.BreastCancer;

public partial class BreastCancerModel
{
    /// <summary>The feature columns, in file order.</summary>
    public static readonly string[] FeatureColumns =
    [
                @"mean_radius",
                @"mean_texture",
                @"mean_perimeter",
                @"mean_area",
                @"mean_smoothness",
                @"mean_compactness",
                @"mean_concavity",
                @"mean_concave_points",
                @"mean_symmetry",
                @"mean_fractal_dimension",
                @"radius_error",
                @"texture_error",
                @"perimeter_error",
                @"area_error",
                @"smoothness_error",
                @"compactness_error",
                @"concavity_error",
                @"concave_points_error",
                @"symmetry_error",
                @"fractal_dimension_error",
                @"worst_radius",
                @"worst_texture",
                @"worst_perimeter",
                @"worst_area",
                @"worst_smoothness",
                @"worst_compactness",
                @"worst_concavity",
                @"worst_concave_points",
                @"worst_symmetry",
                @"worst_fractal_dimension",
    ];

    /// <summary>Loads the data, trains with <paramref name="epochs"/> epochs at most, evaluates on a held-out 20 %, and saves the model.</summary>
    public static BinaryClassificationMetrics Train(string outputModelPath, string inputDataFilePath, int epochs)
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromTextFile<ModelInput>(inputDataFilePath, separatorChar: ',', hasHeader: true);
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);
        var model = RetrainModel(mlContext, split.TrainSet, epochs);
        var metrics = mlContext.BinaryClassification.Evaluate(model.Transform(split.TestSet), labelColumnName: @"Label");
        SaveModel(mlContext, model, data, outputModelPath);
        return metrics;
    }

    /// <summary>Fits the pipeline on <paramref name="trainData"/>.</summary>
    public static ITransformer RetrainModel(MLContext mlContext, IDataView trainData, int epochs) =>
        BuildPipeline(mlContext, epochs).Fit(trainData);

    /// <summary>
    /// The pipeline: the 30 measurements in one vector, then a network with two hidden layers. The trainer
    /// standardizes the features itself, so no normalizer is needed.
    /// </summary>
    public static IEstimator<ITransformer> BuildPipeline(MLContext mlContext, int epochs) =>
        mlContext.Transforms.Concatenate(@"Features", FeatureColumns)
            .Append(mlContext.BinaryClassification.Trainers.FeedForward(new FeedForwardBinaryTrainer.Options
            {
                LabelColumnName = @"Label",
                FeatureColumnName = @"Features",
                HiddenLayers = [64, 32],
                DropoutRate = 0.1f,
                NumberOfEpochs = epochs,
                Seed = 1,
            }));

    private static void SaveModel(MLContext mlContext, ITransformer model, IDataView data, string modelSavePath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(modelSavePath));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        mlContext.Model.Save(model, data.Schema, modelSavePath);
    }
}
