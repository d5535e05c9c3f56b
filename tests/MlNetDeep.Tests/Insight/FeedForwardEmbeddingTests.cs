using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using MlNetDeep.Internal;
using MlNetDeep.Tests.FeedForward;
using MlNetDeep.Tests.Internal;
using Xunit.Abstractions;

namespace MlNetDeep.Tests.Insight;

public class FeedForwardEmbeddingTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(-1, 8)]
    [InlineData(0, 16)]
    [InlineData(1, 8)]
    public void EmbeddingEqualsTheEngineActivationsOfTheLayer(int layer, int size)
    {
        var (mlContext, model) = Train();
        var rows = FeedForwardScenario.TestRows();
        var data = mlContext.Data.LoadFromEnumerable(rows);

        var transformer = mlContext.Transforms.FeedForwardEmbedding(model, layer: layer).Fit(data);
        var embedded = transformer.Transform(data);

        Assert.Equal(layer == -1 ? 1 : layer, transformer.Layer);
        Assert.Equal(size, transformer.EmbeddingSize);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, size), embedded.Schema["Embedding"].Type);
        var actual = embedded.GetColumn<float[]>("Embedding").ToArray();
        var expected = EngineEmbedding(model, rows, layer);
        Assert.Equal(rows.Length, actual.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }

        // A real hidden layer: not all zero, and rows differ.
        Assert.Contains(actual.SelectMany(v => v), v => v != 0);
        Assert.NotEqual(actual[0], actual[1]);
    }

    [Fact]
    public void SaveAndLoadGiveIdenticalEmbeddings()
    {
        var (mlContext, model) = Train();
        var data = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.TestRows());
        var transformer = mlContext.Transforms.FeedForwardEmbedding(model, outputColumnName: "Hidden", layer: 0).Fit(data);
        var before = transformer.Transform(data).GetColumn<float[]>("Hidden").ToArray();

        using var folder = new TemporaryDirectory();
        var path = folder.File("embedding.zip");
        mlContext.Model.Save(transformer, data.Schema, path);
        var loadedContext = new MLContext(seed: 5);
        var loaded = loadedContext.Model.Load(path, out _);
        var after = loaded.Transform(loadedContext.Data.LoadFromEnumerable(FeedForwardScenario.TestRows())).GetColumn<float[]>("Hidden").ToArray();

        Assert.Equal(before, after);
        var reloaded = Assert.IsType<FeedForwardEmbeddingTransformer>(loaded);
        Assert.Equal(0, reloaded.Layer);
        Assert.Equal("Features", reloaded.InputColumnName);
        Assert.Equal(model.GetParameters()["layers.0.weight"], reloaded.Model.GetParameters()["layers.0.weight"]);
    }

    [Fact]
    public void ConcurrentCursorsGiveTheSameEmbeddings()
    {
        var (mlContext, model) = Train();
        var data = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(200, seed: 4));
        var embedded = mlContext.Transforms.FeedForwardEmbedding(model).Fit(data).Transform(data);
        var expected = embedded.GetColumn<float[]>("Embedding").ToArray();

        var results = new float[4][][];
        Parallel.For(0, results.Length, i => results[i] = [.. embedded.GetColumn<float[]>("Embedding")]);

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void BadLayerAndBadColumnsGiveErrorsNamingThem()
    {
        var (mlContext, model) = Train();
        var data = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.TestRows());

        var layer = Assert.Throws<ArgumentOutOfRangeException>(() => mlContext.Transforms.FeedForwardEmbedding(model, layer: 2));
        Assert.Contains("layer=2", layer.Message, StringComparison.Ordinal);
        Assert.Contains("2 hidden layers", layer.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => mlContext.Transforms.FeedForwardEmbedding(model, layer: -2));

        var missing = Assert.Throws<ArgumentException>(() => mlContext.Transforms.FeedForwardEmbedding(model, inputColumnName: "Pixels").Fit(data));
        Assert.Contains("'Pixels'", missing.Message, StringComparison.Ordinal);

        var wrongType = Assert.Throws<ArgumentException>(() => mlContext.Transforms.FeedForwardEmbedding(model, inputColumnName: "Target").Fit(data));
        Assert.Contains("'Target'", wrongType.Message, StringComparison.Ordinal);
        Assert.Contains("4 Single", wrongType.Message, StringComparison.Ordinal);

        var shape = Assert.Throws<ArgumentException>(() => mlContext.Transforms.FeedForwardEmbedding(model, inputColumnName: "Class").GetOutputSchema(SchemaShapes.Of(data.Schema)));
        Assert.Contains("'Class'", shape.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => mlContext.Transforms.FeedForwardEmbedding(model, outputColumnName: " "));
    }

    [Fact]
    public void EstimatorOutputSchemaAddsAVectorOfSingle()
    {
        var (mlContext, model) = Train();
        var data = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.TestRows());
        var shape = mlContext.Transforms.FeedForwardEmbedding(model).GetOutputSchema(SchemaShapes.Of(data.Schema));
        var column = Assert.Single(shape, c => c.Name == "Embedding");
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, column.Kind);
        Assert.Equal(NumberDataViewType.Single, column.ItemType);
    }

    [Fact]
    public void LightGbmTrainsOnTheEmbeddingAndOnTheRawFeatures()
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromTextFile(Path.Combine(AppContext.BaseDirectory, "data", "breast_cancer.csv"),
        [
            new TextLoader.Column("Label", DataKind.Boolean, 0),
            new TextLoader.Column("Features", DataKind.Single, 1, 30),
        ], separatorChar: ',', hasHeader: true);
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.3, seed: 1);
        var network = mlContext.BinaryClassification.Trainers.FeedForward(new FeedForwardBinaryTrainer.Options
        {
            HiddenLayers = [32, 8],
            NumberOfEpochs = 15,
            Seed = 1,
            NumberOfThreads = 1,
        }).Fit(split.TrainSet).Model;

        LightGbmBinaryTrainer LightGbm(string features) => mlContext.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            FeatureColumnName = features,
            NumberOfIterations = 50,
            NumberOfThreads = 1,
            Seed = 1,
        });

        var onEmbedding = mlContext.Transforms.FeedForwardEmbedding(network).Append(LightGbm("Embedding")).Fit(split.TrainSet);
        var onRaw = LightGbm("Features").Fit(split.TrainSet);
        var embeddingMetrics = mlContext.BinaryClassification.Evaluate(onEmbedding.Transform(split.TestSet));
        var rawMetrics = mlContext.BinaryClassification.Evaluate(onRaw.Transform(split.TestSet));
        output.WriteLine($"LightGbm test accuracy on the 8-unit embedding: {embeddingMetrics.Accuracy:F4} (AUC {embeddingMetrics.AreaUnderRocCurve:F4}); on the 30 raw features: {rawMetrics.Accuracy:F4} (AUC {rawMetrics.AreaUnderRocCurve:F4}).");

        Assert.True(embeddingMetrics.Accuracy > 0.9, $"accuracy on the embedding {embeddingMetrics.Accuracy}");
        Assert.True(rawMetrics.Accuracy > 0.9, $"accuracy on the raw features {rawMetrics.Accuracy}");

        // The pipeline (embedding then LightGbm) saves and loads as one .zip and scores the same.
        using var folder = new TemporaryDirectory();
        var path = folder.File("embedding-lightgbm.zip");
        mlContext.Model.Save(onEmbedding, split.TrainSet.Schema, path);
        var loaded = new MLContext(seed: 2).Model.Load(path, out _);
        Assert.Equal(onEmbedding.Transform(split.TestSet).GetColumn<float>("Score"), loaded.Transform(split.TestSet).GetColumn<float>("Score"));
    }

    private static (MLContext Context, FeedForwardModelParameters Model) Train()
    {
        var mlContext = new MLContext(seed: 1);
        var options = FeedForwardScenario.Small(new FeedForwardRegressionTrainer.Options { DropoutRate = 0.2f }, nameof(FeedForwardScenario.Row.Target));
        options.HiddenLayers = [16, 8];
        options.NumberOfEpochs = 3;
        options.EnsembleSize = 1;
        var model = mlContext.Regression.Trainers.FeedForward(options).Fit(mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(96, seed: 3))).Model;
        return (mlContext, model);
    }

    private static float[][] EngineEmbedding(FeedForwardModelParameters model, FeedForwardScenario.Row[] rows, int layer)
    {
        var scorer = model.Network.CreateScorer();
        var input = rows.SelectMany(r => r.Features).ToArray();
        var size = scorer.EmbeddingSize(layer);
        var result = new float[rows.Length * size];
        scorer.Embed(input, result, rows.Length, layer);
        return [.. result.Chunk(size)];
    }
}
