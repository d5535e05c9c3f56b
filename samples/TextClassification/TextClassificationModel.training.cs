// Training code in the shape ML.NET Model Builder generates: the pipeline, training, evaluation and saving.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Samples.TextClassification;

public partial class TextClassificationModel
{
    /// <summary>The share of each novel's passages held out for the test.</summary>
    public const double TestFraction = 0.2;

    /// <summary>
    /// N-grams kept only when they occur in at least this many training passages (as scikit-learn's <c>min_df</c>): the
    /// 270,000 word and character n-grams of the training passages become about 48,000.
    /// </summary>
    public const int MinimumNgramCount = 3;

    /// <summary>
    /// Loads the passages (at most <paramref name="maxRows"/>, a stratified sample, when given), holds out a stratified
    /// 20 % of each novel, trains with <paramref name="epochs"/> epochs at most, evaluates on the held-out passages, and
    /// saves the model.
    /// </summary>
    public static MulticlassClassificationMetrics Train(string outputModelPath, string inputDataFilePath, int epochs, int? maxRows = null)
    {
        var mlContext = new MLContext(seed: 1);
        var rows = LoadRows(mlContext, inputDataFilePath);
        if (maxRows is { } limit && limit < rows.Length)
        {
            rows = StratifiedSplit(rows, 1 - (limit / (double)rows.Length), seed: 1).Train;
        }

        var (train, test) = StratifiedSplit(rows, TestFraction, seed: 1);
        var model = RetrainModel(mlContext, mlContext.Data.LoadFromEnumerable(train), epochs);
        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(mlContext.Data.LoadFromEnumerable(test)), labelColumnName: @"Label");
        SaveModel(mlContext, model, mlContext.Data.LoadFromEnumerable(train), outputModelPath);
        return metrics;
    }

    /// <summary>Reads austen.csv: a header, then the novel and a quoted passage per line.</summary>
    public static ModelInput[] LoadRows(MLContext mlContext, string inputDataFilePath)
    {
        var data = mlContext.Data.LoadFromTextFile<ModelInput>(inputDataFilePath, separatorChar: ',', hasHeader: true, allowQuoting: true);
        return [.. mlContext.Data.CreateEnumerable<ModelInput>(data, reuseRowObject: false)];
    }

    /// <summary>
    /// Splits <paramref name="rows"/> into training and test rows, holding out <paramref name="testFraction"/> of each
    /// novel's passages (rounded), drawn by a generator seeded with <paramref name="seed"/>; both keep the file's order.
    /// ML.NET's <c>TrainTestSplit</c> does not stratify (its <c>samplingKeyColumnName</c> keeps rows that share a key on one
    /// side, which for the label would put whole novels in the test set), so the split is made here.
    /// </summary>
    public static (ModelInput[] Train, ModelInput[] Test) StratifiedSplit(IReadOnlyList<ModelInput> rows, double testFraction, int seed)
    {
        var random = new Random(seed);
        var isTest = new bool[rows.Count];
        foreach (var novel in Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].Label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = novel.ToArray();
            random.Shuffle(members);
            foreach (var i in members.Take((int)Math.Round(testFraction * members.Length)))
            {
                isTest[i] = true;
            }
        }

        return ([.. rows.Where((_, i) => !isTest[i])], [.. rows.Where((_, i) => isTest[i])]);
    }

    /// <summary>Fits the pipeline on <paramref name="trainData"/>.</summary>
    public static ITransformer RetrainModel(MLContext mlContext, IDataView trainData, int epochs) =>
        BuildPipeline(mlContext, epochs).Fit(trainData);

    /// <summary>
    /// The pipeline: the novel's name to a key, the passage to n-gram features (<see cref="BuildFeaturization"/>), the
    /// network (<see cref="BuildTrainer"/>), and the predicted key back to the novel's name.
    /// </summary>
    public static IEstimator<ITransformer> BuildPipeline(MLContext mlContext, int epochs) =>
        mlContext.Transforms.Conversion.MapValueToKey(@"Label", @"Label")
            .Append(BuildFeaturization(mlContext))
            .Append(BuildTrainer(mlContext, epochs))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue(@"PredictedLabel", @"PredictedLabel"));

    /// <summary>
    /// The passage to a sparse vector: ML.NET's <c>FeaturizeText</c> (lower case, word unigrams and bigrams and character
    /// trigrams, L2-normalized counts), then only the n-grams of at least <see cref="MinimumNgramCount"/> passages.
    /// </summary>
    public static IEstimator<ITransformer> BuildFeaturization(MLContext mlContext) =>
        mlContext.Transforms.Text.FeaturizeText(@"Features", @"Text")
            .Append(mlContext.Transforms.FeatureSelection.SelectFeaturesBasedOnCount(@"Features", count: MinimumNgramCount));

    /// <summary>
    /// The network: one hidden layer of 256 units with dropout 0.5 on the n-gram features, each scaled by its largest
    /// absolute value. The rows are sparse, so the trainer keeps them sparse (<see cref="DataLoading.Auto"/>): the first
    /// layer reads only each passage's few hundred non-zero n-grams. <paramref name="loading"/> can force another way,
    /// such as <see cref="DataLoading.InMemory"/> to densify the rows; <paramref name="seed"/> seeds the network.
    /// </summary>
    public static IEstimator<ITransformer> BuildTrainer(MLContext mlContext, int epochs, DataLoading loading = DataLoading.Auto, int seed = 1) =>
        mlContext.MulticlassClassification.Trainers.FeedForward(new FeedForwardMulticlassTrainer.Options
        {
            LabelColumnName = @"Label",
            FeatureColumnName = @"Features",
            HiddenLayers = [256],
            DropoutRate = 0.5f,
            InputTransform = InputTransform.MaxAbs,
            NumberOfEpochs = epochs,
            EarlyStoppingPatience = 3,
            DataLoading = loading,
            Seed = seed,
        });

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
