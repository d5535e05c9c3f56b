using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Tests.Internal;

namespace MlNetDeep.Tests.FeedForward;

/// <summary>The ML.NET tools users already know work on the feed-forward trainers as on ML.NET's own.</summary>
public class FeedForwardMlNetToolsTests
{
    [Fact]
    public void CrossValidateGivesOneSaneResultPerFold()
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(240, seed: 1));
        var trainer = mlContext.BinaryClassification.Trainers.FeedForward(FeedForwardScenario.Small(new FeedForwardBinaryTrainer.Options(), "IsPositive"));

        var results = mlContext.BinaryClassification.CrossValidate(data, trainer, numberOfFolds: 3, labelColumnName: "IsPositive");

        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.True(r.Metrics.AreaUnderRocCurve > 0.9, $"Fold {r.Fold}: AUC {r.Metrics.AreaUnderRocCurve}"));
        Assert.All(results, r => Assert.IsType<BinaryPredictionTransformer<FeedForwardModelParameters>>(r.Model));
    }

    [Fact]
    public void MulticlassCrossValidateUsesKeyLabels()
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Transforms.Conversion.MapValueToKey("Label", "Class").Fit(mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(180, seed: 1)))
            .Transform(mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(180, seed: 1)));
        var trainer = mlContext.MulticlassClassification.Trainers.FeedForward(FeedForwardScenario.Small(new FeedForwardMulticlassTrainer.Options(), "Label"));

        var results = mlContext.MulticlassClassification.CrossValidate(data, trainer, numberOfFolds: 2);

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.True(r.Metrics.MicroAccuracy > 0.85, $"Fold {r.Fold}: accuracy {r.Metrics.MicroAccuracy}"));
    }

    [Fact]
    public void PermutationFeatureImportanceRanksTheUsedFeaturesAboveTheUnused()
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(300, seed: 1));
        var transformer = mlContext.Regression.Trainers.FeedForward(FeedForwardScenario.Small(new FeedForwardRegressionTrainer.Options(), "Target")).Fit(data);

        var importance = mlContext.Regression.PermutationFeatureImportance(transformer, transformer.Transform(data), labelColumnName: "Target", permutationCount: 1);

        // The target depends on features 0, 2 and 3, not on feature 1.
        var rmseIncrease = importance.Select(m => m.RootMeanSquaredError.Mean).ToArray();
        Assert.Equal(FeedForwardScenario.FeatureCount, rmseIncrease.Length);
        Assert.True(rmseIncrease[0] > 3 * Math.Abs(rmseIncrease[1]), $"RMSE increases: {string.Join(", ", rmseIncrease)}");
        Assert.True(rmseIncrease[3] > 3 * Math.Abs(rmseIncrease[1]), $"RMSE increases: {string.Join(", ", rmseIncrease)}");
    }

    [Fact]
    public void BinaryPermutationFeatureImportanceRuns()
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(200, seed: 1));
        var transformer = mlContext.BinaryClassification.Trainers.FeedForward(FeedForwardScenario.Small(new FeedForwardBinaryTrainer.Options(), "IsPositive")).Fit(data);

        var importance = mlContext.BinaryClassification.PermutationFeatureImportance(transformer, transformer.Transform(data), labelColumnName: "IsPositive", permutationCount: 1);

        // The label is x0 − x1 + 0.5·x3 > 0: feature 2 does not matter.
        var aucDrop = importance.Select(m => -m.AreaUnderRocCurve.Mean).ToArray();
        Assert.True(aucDrop[0] > Math.Abs(aucDrop[2]) && aucDrop[1] > Math.Abs(aucDrop[2]), $"AUC drops: {string.Join(", ", aucDrop)}");
    }

    [Fact]
    public void PredictionEnginesOnSeveralThreadsMatchTransform()
    {
        var mlContext = new MLContext(seed: 1);
        var train = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(200, seed: 1));
        var model = FeedForwardScenario.Pipeline(mlContext, "multiclass").Fit(train);
        var rows = FeedForwardScenario.TestRows();
        var expectedScores = model.Transform(mlContext.Data.LoadFromEnumerable(rows)).GetColumn<float[]>("Score").ToArray();
        var expectedClasses = model.Transform(mlContext.Data.LoadFromEnumerable(rows)).GetColumn<string>("PredictedClass").ToArray();

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, thread =>
        {
            using var engine = mlContext.Model.CreatePredictionEngine<FeedForwardScenario.Row, Prediction>(model);
            for (var repeat = 0; repeat < 5; repeat++)
            {
                for (var i = 0; i < rows.Length; i++)
                {
                    var prediction = engine.Predict(rows[i]);
                    if (!prediction.Score.SequenceEqual(expectedScores[i]) || prediction.PredictedClass != expectedClasses[i])
                    {
                        failures.Add($"thread {thread}, row {i}");
                    }
                }
            }
        });

        Assert.Empty(failures);
    }

    [Fact]
    public void CorruptOrTruncatedModelFilesFailToLoadWithAReason()
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(64, seed: 1));
        var options = FeedForwardScenario.Small(new FeedForwardRegressionTrainer.Options(), "Target");
        options.NumberOfEpochs = 2;
        var model = mlContext.Regression.Trainers.FeedForward(options).Fit(data);
        using var folder = new TemporaryDirectory();
        var path = folder.File("model.zip");
        mlContext.Model.Save(model, data.Schema, path);

        // The network stream inside the .zip cut in half.
        var corrupt = folder.File("corrupt.zip");
        File.Copy(path, corrupt);
        using (var archive = System.IO.Compression.ZipFile.Open(corrupt, System.IO.Compression.ZipArchiveMode.Update))
        {
            var entry = archive.Entries.Single(e => e.FullName.EndsWith("FeedForwardNetwork.bin", StringComparison.Ordinal));
            byte[] bytes;
            using (var stream = entry.Open())
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }

            var name = entry.FullName;
            entry.Delete();
            using var truncated = archive.CreateEntry(name).Open();
            truncated.Write(bytes, 0, bytes.Length / 2);
        }

        var error = Assert.ThrowsAny<Exception>(() => mlContext.Model.Load(corrupt, out _));
        Assert.Matches("truncated|corrupt|end of the stream", AllMessages(error));

        // The file itself cut short.
        var cut = folder.File("cut.zip");
        File.WriteAllBytes(cut, File.ReadAllBytes(path)[..200]);
        var fileError = Assert.Throws<InvalidDataException>(() => ModelFiles.Load(mlContext, cut, out _));
        Assert.Contains("cut.zip", fileError.Message);
    }

    [Fact]
    public void SparseFeatureVectorsTrainAndScoreLikeTheirDenseEquals()
    {
        var mlContext = new MLContext(seed: 1);
        var rows = FeedForwardScenario.Rows(120, seed: 1);
        foreach (var row in rows)
        {
            // Zero out two features so the sparse form really is sparse.
            row.Features[1] = 0f;
            row.Features[3] = 0f;
        }

        var dense = mlContext.Data.LoadFromEnumerable(rows);
        var sparse = mlContext.Data.LoadFromEnumerable(rows.Select(r => new SparseRow
        {
            Features = new VBuffer<float>(FeedForwardScenario.FeatureCount, 2, [r.Features[0], r.Features[2]], [0, 2]),
            Target = r.Target,
        }));
        var options = FeedForwardScenario.Small(new FeedForwardRegressionTrainer.Options(), "Target");
        options.NumberOfEpochs = 5;

        var fromDense = mlContext.Regression.Trainers.FeedForward(options).Fit(dense);
        var fromSparse = mlContext.Regression.Trainers.FeedForward(options).Fit(sparse);

        Assert.Equal(fromDense.Model.GetParameters()["layers.0.weight"], fromSparse.Model.GetParameters()["layers.0.weight"]);
        Assert.Equal(fromDense.Transform(dense).GetColumn<float>("Score").ToArray(), fromDense.Transform(sparse).GetColumn<float>("Score").ToArray());
    }

    private static string AllMessages(Exception error)
    {
        var messages = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join(" | ", messages);
    }

    private sealed class SparseRow
    {
        [VectorType(FeedForwardScenario.FeatureCount)]
        public VBuffer<float> Features { get; set; }

        public float Target { get; set; }
    }

    private sealed class Prediction
    {
        public float[] Score { get; set; } = [];

        public string PredictedClass { get; set; } = "";
    }
}
