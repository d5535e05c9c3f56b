using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetDeep.Tests.FeedForward;
using Xunit.Abstractions;

namespace MlNetDeep.Tests.Onnx;

/// <summary>
/// <c>mlContext.Model.ConvertToOnnx</c> on pipelines ending in the FeedForward trainers and the embedding: the exported
/// graph, run in ONNX Runtime and through ML.NET's <c>ApplyOnnxModel</c>, gives the columns the ML.NET pipeline gives.
/// </summary>
public class OnnxExportTests(ITestOutputHelper output)
{
    private const float Tolerance = 1e-5f;

    // GELU's and Mish's ONNX forms use ONNX Runtime's erf and exp, not the engine's polynomials. Layer normalization
    // subtracts each row's mean, which ONNX Runtime sums in another order: where a row's spread is small against its
    // mean, one rounding of the mean is many roundings of the result, in any float32 implementation.
    private const float LooseTolerance = 1e-4f;

    public static TheoryData<string, Activation, Normalization> ActivationsAndNormalizations()
    {
        var data = new TheoryData<string, Activation, Normalization>();
        foreach (var task in new[] { "multiclass", "binary", "regression" })
        {
            foreach (var activation in Enum.GetValues<Activation>())
            {
                foreach (var normalization in Enum.GetValues<Normalization>())
                {
                    data.Add(task, activation, normalization);
                }
            }
        }

        return data;
    }

    public static TheoryData<string, InputTransform, NumericEmbedding, int> InputSides()
    {
        var data = new TheoryData<string, InputTransform, NumericEmbedding, int>();
        var tasks = new[] { "multiclass", "binary", "regression" };
        var i = 0;
        foreach (var transform in new[] { InputTransform.Standardize, InputTransform.RobustSmoothClip, InputTransform.Quantile })
        {
            foreach (var embedding in Enum.GetValues<NumericEmbedding>())
            {
                foreach (var members in new[] { 1, 3 })
                {
                    data.Add(tasks[i++ % tasks.Length], transform, embedding, members);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ActivationsAndNormalizations))]
    public void EveryActivationAndNormalizationExportsWithTheSameScores(string task, Activation activation, Normalization normalization)
    {
        var (model, data) = Train(task, o =>
        {
            o.Activation = activation;
            o.Normalization = normalization;
        });
        var tolerance = activation is Activation.GELU or Activation.Mish || normalization == Normalization.LayerNorm ? LooseTolerance : Tolerance;
        var difference = CompareWithOnnxRuntime(model, data, task, withUncertainty: false);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{task} {activation} {normalization}: max relative difference {difference:E2}"));
        Assert.True(difference <= tolerance, $"{task} {activation} {normalization}: max relative difference {difference} above {tolerance}");
    }

    [Theory]
    [MemberData(nameof(InputSides))]
    public void InputTransformsEmbeddingsAndEnsemblesExportWithTheSameScores(string task, InputTransform transform, NumericEmbedding embedding, int members)
    {
        var (model, data) = Train(task, o =>
        {
            o.InputTransform = transform;
            o.NumericEmbedding = embedding;
            o.EmbeddingDimension = 3;
            o.EmbeddingFrequencies = 2;
            o.EmbeddingBins = 5;
            o.EnsembleSize = members;
            o.Normalization = members > 1 ? Normalization.LayerNorm : Normalization.BatchNorm;
        });
        var difference = CompareWithOnnxRuntime(model, data, task, withUncertainty: members > 1);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{task} {transform} {embedding} k={members}: max relative difference {difference:E2}"));
        Assert.True(difference <= Tolerance, $"max relative difference {difference} above {Tolerance}");
    }

    [Fact]
    public void TheQuantileTransformOfDiscreteFeaturesExportsWithTheSameScores()
    {
        // Few distinct values: runs of equal quantiles, rows exactly on them, and rows outside the training range.
        var mlContext = new MLContext(seed: 1);
        var random = new Random(4);
        var rows = Enumerable.Range(0, 200).Select(_ => Discrete(random, 0, 5)).ToArray();
        var options = FeedForwardScenario.Small(new FeedForwardRegressionTrainer.Options(), nameof(FeedForwardScenario.Row.Target));
        options.InputTransform = InputTransform.Quantile;
        options.NumberOfEpochs = 3;
        var model = mlContext.Regression.Trainers.FeedForward(options).Fit(mlContext.Data.LoadFromEnumerable(rows));
        var test = mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, 40).Select(_ => new FeatureRow { Features = Discrete(random, -2, 8).Features }).ToArray());
        // The automatic ensemble of small data: the members and their spread too.
        var difference = CompareWithOnnxRuntime(model, test, "regression", withUncertainty: true);
        Assert.True(difference <= Tolerance, $"max relative difference {difference}");

        static FeedForwardScenario.Row Discrete(Random random, int low, int high)
        {
            var x = Enumerable.Range(0, FeedForwardScenario.FeatureCount).Select(j => (float)(j == 0 ? random.Next(low, high) : random.Next(low, high) * 0.5)).ToArray();
            return new FeedForwardScenario.Row { Features = x, Target = x[0] - x[1] + (x[2] * x[3]) };
        }
    }

    [Fact]
    public void TheDefaultsOnRealDigitsExportWithTheSameScores()
    {
        // Real rows (8×8 digit images, many constant pixels), the default network and its automatic ensemble.
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromTextFile(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv"),
        [
            new TextLoader.Column("Digit", DataKind.Single, 0),
            new TextLoader.Column("Features", DataKind.Single, 1, 64),
        ], separatorChar: ',', hasHeader: true);
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.1, seed: 1);
        var training = mlContext.Transforms.Conversion.MapValueToKey("Label", "Digit").Fit(split.TrainSet).Transform(split.TrainSet);
        var model = mlContext.MulticlassClassification.Trainers.FeedForward(numberOfEpochs: 2).Fit(training);
        var features = mlContext.Transforms.SelectColumns("Features").Fit(split.TestSet).Transform(split.TestSet);
        var difference = CompareWithOnnxRuntime(model, features, "multiclass", withUncertainty: true);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"digits defaults: max relative difference {difference:E2}"));
        Assert.True(difference <= Tolerance, $"max relative difference {difference}");
    }

    [Fact]
    public void EnsembleWithBatchNormAndPReluExports()
    {
        var (model, data) = Train("multiclass", o =>
        {
            o.EnsembleSize = 4;
            o.HiddenLayers = [8, 6];
            o.Normalization = Normalization.BatchNorm;
            o.Activation = Activation.PReLU;
        });
        Assert.True(CompareWithOnnxRuntime(model, data, "multiclass", withUncertainty: true) <= Tolerance);
    }

    [Fact]
    public void AWholePipelineExportsAndRunsThroughApplyOnnxModel()
    {
        var mlContext = new MLContext(seed: 1);
        var rows = FeedForwardScenario.Rows(200, seed: 3).Select(r => new RawRow { A = r.Features[0], B = r.Features[1], C = r.Features[2], D = r.Features[3], IsPositive = r.IsPositive }).ToArray();
        var training = mlContext.Data.LoadFromEnumerable(rows);
        var options = FeedForwardScenario.Small(new FeedForwardBinaryTrainer.Options(), nameof(RawRow.IsPositive));
        options.NumberOfEpochs = 5;
        var pipeline = mlContext.Transforms.Concatenate("Features", nameof(RawRow.A), nameof(RawRow.B), nameof(RawRow.C), nameof(RawRow.D))
            .Append(mlContext.Transforms.NormalizeMinMax("Features"))
            .Append(mlContext.BinaryClassification.Trainers.FeedForward(options));
        var model = pipeline.Fit(training);

        var inputs = mlContext.Data.LoadFromEnumerable(rows.Take(40).Select(r => new RawFeatures { A = r.A, B = r.B, C = r.C, D = r.D }));
        var path = Path.Combine(Path.GetTempPath(), $"mlnetdeep-onnx-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var stream = File.Create(path))
            {
                mlContext.Model.ConvertToOnnx(model, inputs, stream);
            }

            var expected = model.Transform(inputs);
            var onnx = mlContext.Transforms.ApplyOnnxModel(path).Fit(inputs).Transform(inputs);
            var names = onnx.Schema.Select(c => c.Name).ToArray();
            var expectedScores = expected.GetColumn<float>("Score").ToArray();
            var expectedProbabilities = expected.GetColumn<float>("Probability").ToArray();
            var expectedLabels = expected.GetColumn<bool>("PredictedLabel").ToArray();
            // ApplyOnnxModel adds the graph's outputs as columns of the same names, each a vector of one value per row.
            var scores = onnx.GetColumn<float[]>("Score").Select(v => Assert.Single(v)).ToArray();
            var probabilities = onnx.GetColumn<float[]>("Probability").Select(v => Assert.Single(v)).ToArray();
            var labels = onnx.GetColumn<bool[]>("PredictedLabel").Select(v => Assert.Single(v)).ToArray();
            var uncertainties = onnx.GetColumn<float[]>("Uncertainty").Select(v => Assert.Single(v)).ToArray();
            Assert.True(MaxRelativeDifference(expectedScores, scores) <= Tolerance);
            Assert.True(MaxRelativeDifference(expectedProbabilities, probabilities) <= Tolerance);
            Assert.True(MaxRelativeDifference(expected.GetColumn<float>("Uncertainty").ToArray(), uncertainties) <= Tolerance);
            Assert.Equal(expectedLabels, labels);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheEmbeddingExportsWithTheSameActivations()
    {
        var (model, data) = Train("regression", o =>
        {
            o.HiddenLayers = [8, 5];
            o.EnsembleSize = 2;
            o.Activation = Activation.ELU;
        });
        var mlContext = new MLContext(seed: 1);
        var predictor = (RegressionPredictionTransformer<FeedForwardModelParameters>)model;
        var embedding = mlContext.Transforms.FeedForwardEmbedding(predictor.Model, "Embedding", "Features", layer: 0).Fit(data);
        var expected = embedding.Transform(data).GetColumn<float[]>("Embedding").SelectMany(v => v).ToArray();
        var actual = RunOnnx(embedding, data).Single(o => o.Key.StartsWith("Embedding", StringComparison.Ordinal)).Value;
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(40 * 8 * 2, expected.Length);
        var difference = MaxRelativeDifference(expected, actual, floor: 1f);
        Assert.True(difference <= Tolerance, $"max relative difference {difference}");
    }

    [Fact]
    public void MonteCarloDropoutIsRefusedNamingTheOption()
    {
        var (model, data) = Train("binary", o =>
        {
            o.DropoutRate = 0.2f;
            o.MonteCarloDropoutPasses = 4;
        });
        var error = Assert.Throws<NotSupportedException>(() => new MLContext(seed: 1).Model.ConvertToOnnx(model, data, new MemoryStream()));
        Assert.Contains(nameof(FeedForwardTrainerOptionsBase.MonteCarloDropoutPasses), error.Message);
    }

    /// <summary>Trains a small model of <paramref name="task"/> with <paramref name="configure"/>; returns it and the features of 40 rows.</summary>
    private static (ITransformer Model, IDataView Features) Train(string task, Action<FeedForwardTrainerOptionsBase> configure)
    {
        var mlContext = new MLContext(seed: 1);
        var rows = FeedForwardScenario.Rows(160, seed: 5);
        var training = mlContext.Data.LoadFromEnumerable(rows);
        ITransformer model;
        switch (task)
        {
            case "multiclass":
                var keyed = mlContext.Transforms.Conversion.MapValueToKey("Label", nameof(FeedForwardScenario.Row.Class)).Fit(training).Transform(training);
                var multiclass = Configure(new FeedForwardMulticlassTrainer.Options(), "Label", configure);
                model = mlContext.MulticlassClassification.Trainers.FeedForward(multiclass).Fit(keyed);
                break;
            case "binary":
                var binary = Configure(new FeedForwardBinaryTrainer.Options(), nameof(FeedForwardScenario.Row.IsPositive), configure);
                model = mlContext.BinaryClassification.Trainers.FeedForward(binary).Fit(training);
                break;
            default:
                var regression = Configure(new FeedForwardRegressionTrainer.Options(), nameof(FeedForwardScenario.Row.Target), configure);
                model = mlContext.Regression.Trainers.FeedForward(regression).Fit(training);
                break;
        }

        var features = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(40, seed: 11).Select(r => new FeatureRow { Features = r.Features }));
        return (model, features);
    }

    private static TOptions Configure<TOptions>(TOptions options, string label, Action<FeedForwardTrainerOptionsBase> configure)
        where TOptions : FeedForwardTrainerOptionsBase
    {
        FeedForwardScenario.Small(options, label);
        options.HiddenLayers = [8, 6];
        options.NumberOfEpochs = 4;
        options.EnsembleSize = 1;
        configure(options);
        return options;
    }

    /// <summary>
    /// Runs the model's ONNX export in ONNX Runtime and returns the largest relative difference from the ML.NET columns
    /// (Score, Probability, Uncertainty); the predicted labels must be equal.
    /// </summary>
    private static float CompareWithOnnxRuntime(ITransformer model, IDataView data, string task, bool withUncertainty)
    {
        var expected = model.Transform(data);
        var actual = RunOnnx(model, data);
        float[] Output(string column) => actual.Single(o => o.Key.StartsWith(column, StringComparison.Ordinal)).Value;

        var expectedScores = expected.Schema["Score"].Type is VectorDataViewType
            ? expected.GetColumn<float[]>("Score").SelectMany(v => v).ToArray()
            : expected.GetColumn<float>("Score").ToArray();
        var floor = task switch
        {
            "regression" => GetModel(model).GetParameters()["target.std"][0],
            "binary" => 1e-1f,
            _ => 1e-3f,
        };
        var difference = MaxRelativeDifference(expectedScores, Output("Score"), floor);
        switch (task)
        {
            case "multiclass":
                var keys = expected.GetColumn<uint>("PredictedLabel").Select(k => (float)k).ToArray();
                Assert.Equal(keys, Output("PredictedLabel"));
                break;
            case "binary":
                difference = Math.Max(difference, MaxRelativeDifference(expected.GetColumn<float>("Probability").ToArray(), Output("Probability"), 1e-3f));
                var labels = expected.GetColumn<bool>("PredictedLabel").Select(b => b ? 1f : 0f).ToArray();
                Assert.Equal(labels, Output("PredictedLabel"));
                break;
        }

        if (withUncertainty)
        {
            difference = Math.Max(difference, MaxRelativeDifference(expected.GetColumn<float>("Uncertainty").ToArray(), Output("Uncertainty"), floor));
        }
        else
        {
            Assert.DoesNotContain(actual.Keys, k => k.StartsWith("Uncertainty", StringComparison.Ordinal));
        }

        return difference;
    }

    private static FeedForwardModelParameters GetModel(ITransformer model) => model switch
    {
        MulticlassPredictionTransformer<FeedForwardModelParameters> m => m.Model,
        BinaryPredictionTransformer<FeedForwardModelParameters> b => b.Model,
        RegressionPredictionTransformer<FeedForwardModelParameters> r => r.Model,
        _ => throw new ArgumentException($"Not a FeedForward prediction transformer: {model.GetType().Name}.", nameof(model)),
    };

    /// <summary>Exports <paramref name="model"/> and runs the graph on <paramref name="data"/>'s features; returns every float, uint32 or bool output as floats.</summary>
    private static Dictionary<string, float[]> RunOnnx(ITransformer model, IDataView data)
    {
        var mlContext = new MLContext(seed: 1);
        using var stream = new MemoryStream();
        mlContext.Model.ConvertToOnnx(model, data, stream);
        var features = data.GetColumn<float[]>("Features").ToArray();
        var width = features[0].Length;
        using var session = new InferenceSession(stream.ToArray());
        using var input = OrtValue.CreateTensorValueFromMemory(features.SelectMany(f => f).ToArray(), [features.Length, width]);
        var outputNames = session.OutputNames.ToArray();
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["Features"], [input], outputNames);
        var outputs = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < outputNames.Length; i++)
        {
            var value = results[i];
            var type = value.GetTensorTypeAndShape().ElementDataType;
            outputs[outputNames[i]] = type switch
            {
                TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
                TensorElementType.UInt32 => [.. value.GetTensorDataAsSpan<uint>().ToArray().Select(v => (float)v)],
                TensorElementType.Bool => [.. value.GetTensorDataAsSpan<bool>().ToArray().Select(v => v ? 1f : 0f)],
                _ => [],
            };
        }

        return outputs;
    }

    /// <summary>
    /// The largest <c>|a − b| / max(|a|, |b|, floor)</c>. The floor is the scale of the computation below which a value is
    /// the difference of larger terms: 10⁻³ for probabilities, 10⁻¹ for a binary logit (a sum of terms of order one, so
    /// one rounding of a term is about 10⁻⁷ and a logit near zero carries several),
    /// 1 for hidden activations (standardized scale),
    /// the target's standard deviation for a regression prediction (the target mean plus the network's output times the
    /// standard deviation, so a prediction near zero carries the rounding of the target mean).
    /// </summary>
    private static float MaxRelativeDifference(float[] expected, float[] actual, float floor = 1e-3f)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0f;
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(float.IsFinite(expected[i]) && float.IsFinite(actual[i]), $"value {i}: {expected[i]} against {actual[i]}");
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]) / Math.Max(Math.Max(Math.Abs(expected[i]), Math.Abs(actual[i])), floor));
        }

        return worst;
    }

    public sealed class FeatureRow
    {
        [VectorType(FeedForwardScenario.FeatureCount)]
        public float[] Features { get; set; } = [];
    }

    public sealed class RawFeatures
    {
        public float A { get; set; }

        public float B { get; set; }

        public float C { get; set; }

        public float D { get; set; }
    }

    public sealed class RawRow
    {
        public float A { get; set; }

        public float B { get; set; }

        public float C { get; set; }

        public float D { get; set; }

        public bool IsPositive { get; set; }
    }
}
