using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Tests.FeedForward;

/// <summary>
/// Sparse feature rows through ML.NET: <see cref="DataLoading.Sparse"/>, the choice <see cref="DataLoading.Auto"/> makes,
/// the same model as the same rows dense, scoring sparse rows, and options that sparse rows cannot train.
/// </summary>
public class FeedForwardSparseTests
{
    private const int FeatureCount = 120;

    /// <summary>
    /// Bag-of-words rows: about 2% of the 120 features non-zero (counts 1–3); the class is which of three feature groups
    /// holds the most. The same values as sparse or as dense vectors.
    /// </summary>
    private static Row[] Rows(int count, int seed, bool sparse)
    {
        var random = new Random(seed);
        var rows = new Row[count];
        for (var i = 0; i < count; i++)
        {
            var dense = new float[FeatureCount];
            var groups = new double[3];
            for (var c = 0; c < FeatureCount; c++)
            {
                if (random.NextDouble() < 0.02)
                {
                    dense[c] = 1 + random.Next(3);
                    groups[c % 3] += dense[c] * (1 + (c % 4));
                }
            }

            var indices = Enumerable.Range(0, FeatureCount).Where(c => dense[c] != 0).ToArray();
            rows[i] = new Row
            {
                Features = sparse ? new VBuffer<float>(FeatureCount, indices.Length, [.. indices.Select(c => dense[c])], indices) : new VBuffer<float>(FeatureCount, dense),
                Class = $"class{Array.IndexOf(groups, groups.Max())}",
            };
        }

        return rows;
    }

    private static FeedForwardMulticlassTrainer.Options Options(DataLoading loading, InputTransform transform = InputTransform.MaxAbs) => FeedForwardScenario.Small(
        new FeedForwardMulticlassTrainer.Options { DataLoading = loading, InputTransform = transform, NumberOfEpochs = 8, Normalization = Normalization.LayerNorm, NumberOfThreads = 2 },
        "Label");

    private static (ITransformer Model, List<string> Log) Fit(MLContext mlContext, Row[] rows, FeedForwardMulticlassTrainer.Options options)
    {
        var log = new List<string>();
        mlContext.Log += (_, e) => log.Add(e.Message);
        var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label", nameof(Row.Class))
            .Append(mlContext.MulticlassClassification.Trainers.FeedForward(options));
        return (pipeline.Fit(mlContext.Data.LoadFromEnumerable(rows)), log);
    }

    private static float[] Scores(MLContext mlContext, ITransformer model, Row[] rows)
        => FeedForwardScenario.Scores(model.Transform(mlContext.Data.LoadFromEnumerable(rows)));

    private static FeedForwardModelParameters Parameters(ITransformer model)
        => ((IEnumerable<ITransformer>)model).OfType<MulticlassPredictionTransformer<FeedForwardModelParameters>>().Single().Model;

    [Fact]
    public void SparseRowsTrainTheModelOfTheSameRowsDense()
    {
        var mlContext = new MLContext(seed: 1);
        var dense = Rows(300, seed: 3, sparse: false);
        var sparse = Rows(300, seed: 3, sparse: true);

        // The automatic ensemble size is one network for sparse rows and an ensemble for dense ones: ask for one network.
        var denseOptions = Options(DataLoading.InMemory);
        denseOptions.EnsembleSize = 1;
        var (fromDense, _) = Fit(mlContext, dense, denseOptions);
        var (fromSparse, sparseLog) = Fit(mlContext, sparse, Options(DataLoading.Auto));
        var (fromDenseAsSparse, _) = Fit(mlContext, dense, Options(DataLoading.Sparse));

        Assert.Contains(sparseLog, m => m.Contains("DataLoading Auto chose Sparse: the rows are sparse and ", StringComparison.Ordinal));
        Assert.Contains(sparseLog, m => m.Contains("on 300 sparse rows (", StringComparison.Ordinal));
        var expected = Parameters(fromDense).GetParameters();
        foreach (var model in new[] { fromSparse, fromDenseAsSparse })
        {
            var actual = Parameters(model).GetParameters();
            Assert.Equal(expected.Keys, actual.Keys);
            foreach (var (name, values) in expected)
            {
                AssertClose(values, actual[name], 1e-3f, name);
            }
        }

        // The sparse model scores dense and sparse rows alike, and as the dense model does.
        var test = Rows(100, seed: 4, sparse: true);
        var testDense = Rows(100, seed: 4, sparse: false);
        var sparseScores = Scores(mlContext, fromSparse, test);
        AssertClose(Scores(mlContext, fromSparse, testDense), sparseScores, 1e-5f, "sparse and dense rows");
        AssertClose(Scores(mlContext, fromDense, testDense), sparseScores, 1e-3f, "sparse and dense models");
        Assert.Equal(Scores(mlContext, fromSparse, test), Scores(mlContext, fromDenseAsSparse, test));
    }

    [Fact]
    public void StandardizingSparseRowsSubtractsNothingAndTheModelRoundTrips()
    {
        var mlContext = new MLContext(seed: 1);
        var (model, _) = Fit(mlContext, Rows(200, seed: 5, sparse: true), Options(DataLoading.Auto, InputTransform.Standardize));

        var state = Parameters(model).GetParameters();
        Assert.All(state["input.mean"], m => Assert.Equal(0f, m));
        Assert.All(state["input.scale"], s => Assert.True(s > 0));
        var test = Rows(50, seed: 6, sparse: true);
        var path = Path.Combine(Path.GetTempPath(), $"sparse-{Guid.NewGuid():N}.zip");
        try
        {
            var data = mlContext.Data.LoadFromEnumerable(test);
            mlContext.Model.Save(model, data.Schema, path);
            var loaded = new MLContext(seed: 2).Model.Load(path, out _);
            Assert.Equal(Scores(mlContext, model, test), Scores(mlContext, loaded, test));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AutoDensifiesSparseRowsThatAreNotSparseEnoughOrThatTheNetworkCannotTake()
    {
        var mlContext = new MLContext(seed: 1);
        var denseAsSparse = Rows(200, seed: 7, sparse: false).Select(r => new Row
        {
            // Every feature but the first non-zero, held sparse (a vector of as many values as slots would be dense).
            Features = new VBuffer<float>(FeatureCount, FeatureCount - 1, [.. r.Features.DenseValues().Skip(1).Select(v => v + 1)], [.. Enumerable.Range(1, FeatureCount - 1)]),
            Class = r.Class,
        }).ToArray();

        var (_, tooDense) = Fit(mlContext, denseAsSparse, Options(DataLoading.Auto));
        var ensemble = Options(DataLoading.Auto);
        ensemble.EnsembleSize = 2;
        var (_, ensembleLog) = Fit(mlContext, Rows(200, seed: 7, sparse: true), ensemble);

        Assert.Contains(tooDense, m => m.Contains("DataLoading Auto chose InMemory: the rows are sparse, but 99.17% of their feature values are non-zero, more than ", StringComparison.Ordinal));
        Assert.Contains(ensembleLog, m => m.Contains("DataLoading Auto chose InMemory: the dense features of 200 rows", StringComparison.Ordinal));
    }

    [Fact]
    public void SparseLoadingRefusesOptionsThatSparseRowsCannotTrainByName()
    {
        var options = Options(DataLoading.Sparse, InputTransform.Quantile);
        options.InputDropoutRate = 0.2f;

        var error = Assert.Throws<ArgumentException>(() => new MLContext().MulticlassClassification.Trainers.FeedForward(options));

        Assert.Contains("Received: InputTransform=Quantile, InputDropoutRate=0.2.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingValueInASparseRowIsNamedWithItsSlot()
    {
        var rows = Rows(50, seed: 8, sparse: true);
        rows[3].Features = new VBuffer<float>(FeatureCount, 2, [1f, float.NaN], [4, 17]);

        var error = Assert.Throws<InvalidOperationException>(() => Fit(new MLContext(seed: 1), rows, Options(DataLoading.Sparse)));

        Assert.Contains("has a missing (NaN) value at row 3, slot 17", error.Message, StringComparison.Ordinal);
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"{what}[{i}]: expected {expected[i]}, got {actual[i]}.");
        }
    }

    public sealed class Row
    {
        [VectorType(FeatureCount)]
        public VBuffer<float> Features { get; set; }

        public string Class { get; set; } = string.Empty;
    }

    [Fact]
    public void TheAutomaticEmbeddingIsNoneForSparseRowsAndPeriodicForDenseOnes()
    {
        var mlContext = new MLContext(seed: 1);
        var sparse = Rows(120, seed: 4, sparse: true);
        FeedForwardModelParameters Train(DataLoading loading)
        {
            var options = Options(loading);
            options.NumericEmbedding = null;
            options.NumberOfEpochs = 2;
            return Parameters(Fit(mlContext, sparse, options).Model);
        }

        // Auto takes the sparse rows as they are, which no embedding can follow; the same rows copied dense are embedded.
        var fromSparse = Train(DataLoading.Auto);
        Assert.Equal(NumericEmbedding.None, fromSparse.NumericEmbedding);
        Assert.DoesNotContain("embedding.weight", fromSparse.GetParameters().Keys);
        var fromDense = Train(DataLoading.InMemory);
        Assert.Equal(FeedForwardTrainerOptionsBase.Defaults.AutomaticNumericEmbedding, fromDense.NumericEmbedding);
        Assert.Equal(FeatureCount * FeedForwardTrainerOptionsBase.Defaults.EmbeddingDimension * (2 * FeedForwardTrainerOptionsBase.Defaults.EmbeddingFrequencies), fromDense.GetParameters()["embedding.weight"].Length);
    }

    [Fact]
    public void TheAutomaticEnsembleIsOneNetworkForSparseRowsAndFourMembersForDenseOnes()
    {
        var mlContext = new MLContext(seed: 1);
        var sparse = Rows(120, seed: 4, sparse: true);
        var fromSparse = (MulticlassPredictionTransformer<FeedForwardModelParameters>)((IEnumerable<ITransformer>)Fit(mlContext, sparse, Options(DataLoading.Auto)).Model).Last();
        Assert.Equal(1, fromSparse.Model.EnsembleSize);
        var fromDense = (MulticlassPredictionTransformer<FeedForwardModelParameters>)((IEnumerable<ITransformer>)Fit(mlContext, sparse, Options(DataLoading.InMemory)).Model).Last();
        Assert.Equal(FeedForwardTrainerOptionsBase.Defaults.AutomaticEnsembleSize, fromDense.Model.EnsembleSize);
    }
}
