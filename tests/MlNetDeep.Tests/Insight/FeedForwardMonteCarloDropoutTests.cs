using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Tests.FeedForward;
using MlNetDeep.Tests.Internal;
using Xunit.Abstractions;

namespace MlNetDeep.Tests.Insight;

public class FeedForwardMonteCarloDropoutTests(ITestOutputHelper output)
{
    [Fact]
    public void OffByDefaultWithoutAnUncertaintyColumn()
    {
        Assert.Equal(0, FeedForwardTrainerOptionsBase.Defaults.MonteCarloDropoutPasses);
        var (mlContext, transformer) = Train("regression", dropout: 0.2f, passes: 0);
        Assert.Equal(0, ((RegressionPredictionTransformer<FeedForwardModelParameters>)transformer).Model.MonteCarloDropoutPasses);
        var scored = transformer.Transform(mlContext.Data.LoadFromEnumerable(FeedForwardScenario.TestRows()));
        Assert.Null(scored.Schema.GetColumnOrNull("Uncertainty"));

        // The default ensemble adds the column with its members' disagreement.
        var options = FeedForwardScenario.Small(new FeedForwardRegressionTrainer.Options(), nameof(FeedForwardScenario.Row.Target));
        Assert.Equal(FeedForwardTrainerOptionsBase.Defaults.EnsembleSize, options.EnsembleSize);
        var ensemble = mlContext.Regression.Trainers.FeedForward(options).Fit(mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(160, seed: 2)));
        Assert.NotNull(ensemble.Transform(mlContext.Data.LoadFromEnumerable(FeedForwardScenario.TestRows())).Schema.GetColumnOrNull("Uncertainty"));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(FeedForwardTrainerOptionsBase.MaxMonteCarloDropoutPasses + 1)]
    public void PassesOutOfRangeAreRejectedNamingTheOption(int passes)
    {
        var options = new FeedForwardRegressionTrainer.Options { MonteCarloDropoutPasses = passes };
        var error = Assert.Throws<ArgumentException>(() => new MLContext().Regression.Trainers.FeedForward(options));
        Assert.Contains("MonteCarloDropoutPasses", error.Message, StringComparison.Ordinal);
        Assert.Contains(passes.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("regression")]
    [InlineData("binary")]
    [InlineData("multiclass")]
    public void OnePassWithoutDropoutReproducesTheOrdinaryPrediction(string task)
    {
        var (mlContext, ordinary) = Train(task, dropout: 0, passes: 0);
        var (_, monteCarlo) = Train(task, dropout: 0, passes: 1);
        var data = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.TestRows());
        var expected = ordinary.Transform(data);
        var actual = monteCarlo.Transform(data);

        Assert.Equal(FeedForwardScenario.Scores(expected), FeedForwardScenario.Scores(actual));
        var uncertainty = actual.GetColumn<float>("Uncertainty").ToArray();
        Assert.Equal(40, uncertainty.Length);
        if (task == "multiclass")
        {
            // The predictive entropy of the (single pass's) class probabilities, in nats.
            var probabilities = actual.GetColumn<float[]>("Score").ToArray();
            for (var i = 0; i < uncertainty.Length; i++)
            {
                Assert.Equal(-probabilities[i].Sum(p => p > 0 ? p * Math.Log(p) : 0), uncertainty[i], 4);
            }

            Assert.Equal(expected.GetColumn<uint>("PredictedLabel"), actual.GetColumn<uint>("PredictedLabel"));
        }
        else
        {
            // One pass has no spread.
            Assert.All(uncertainty, u => Assert.Equal(0f, u));
        }

        if (task == "binary")
        {
            Assert.Equal(expected.GetColumn<float>("Probability"), actual.GetColumn<float>("Probability"));
            Assert.Equal(expected.GetColumn<bool>("PredictedLabel"), actual.GetColumn<bool>("PredictedLabel"));
        }
    }

    [Fact]
    public void UncertaintyIsHigherFarFromTheTrainingData()
    {
        var (mlContext, transformer) = Train("regression", dropout: 0.3f, passes: 30);
        var near = FeedForwardScenario.TestRows();
        var far = FeedForwardScenario.TestRows();
        foreach (var row in far)
        {
            row.Features = [.. row.Features.Select(x => (x * 4) + 12)];
        }

        var nearUncertainty = transformer.Transform(mlContext.Data.LoadFromEnumerable(near)).GetColumn<float>("Uncertainty").Average();
        var farUncertainty = transformer.Transform(mlContext.Data.LoadFromEnumerable(far)).GetColumn<float>("Uncertainty").Average();
        output.WriteLine($"Mean uncertainty (std of 30 passes, label scale 25..346): near the training data {nearUncertainty:F3}, far from it {farUncertainty:F3}.");

        Assert.True(nearUncertainty > 0, $"near {nearUncertainty}");
        Assert.True(farUncertainty > 2 * nearUncertainty, $"near {nearUncertainty}, far {farUncertainty}");
    }

    [Fact]
    public void PassesAndUncertaintySaveAndLoadWithTheModel()
    {
        var (mlContext, transformer) = Train("binary", dropout: 0.3f, passes: 8);
        var data = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.TestRows());
        var before = transformer.Transform(data);

        using var folder = new TemporaryDirectory();
        var path = folder.File("monte-carlo.zip");
        mlContext.Model.Save(transformer, data.Schema, path);
        var loaded = Assert.IsType<BinaryPredictionTransformer<FeedForwardModelParameters>>(new MLContext(seed: 3).Model.Load(path, out _));
        var after = loaded.Transform(data);

        Assert.Equal(8, loaded.Model.MonteCarloDropoutPasses);
        Assert.Equal(before.GetColumn<float>("Score"), after.GetColumn<float>("Score"));
        var uncertainty = after.GetColumn<float>("Uncertainty").ToArray();
        Assert.Equal(before.GetColumn<float>("Uncertainty"), uncertainty);
        Assert.Contains(uncertainty, u => u > 0);

        // The same row gives the same prediction whatever was scored before it (each row's masks restart).
        var engine = mlContext.Model.CreatePredictionEngine<FeedForwardScenario.Row, Prediction>(loaded);
        var rows = FeedForwardScenario.TestRows();
        var second = engine.Predict(rows[1]);
        engine.Predict(rows[0]);
        Assert.Equal(second.Uncertainty, engine.Predict(rows[1]).Uncertainty);
        Assert.Equal(uncertainty[1], second.Uncertainty);
    }

    private static (MLContext Context, ITransformer Transformer) Train(string task, float dropout, int passes)
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(160, seed: 2));
        TOptions Configure<TOptions>(TOptions options, string label)
            where TOptions : FeedForwardTrainerOptionsBase
        {
            FeedForwardScenario.Small(options, label);
            options.HiddenLayers = [32, 32];
            options.DropoutRate = dropout;
            options.NumberOfEpochs = 20;
            options.MonteCarloDropoutPasses = passes;
            options.EnsembleSize = 1;
            return options;
        }

        IEstimator<ITransformer> estimator = task switch
        {
            "regression" => mlContext.Regression.Trainers.FeedForward(Configure(new FeedForwardRegressionTrainer.Options(), nameof(FeedForwardScenario.Row.Target))),
            "binary" => mlContext.BinaryClassification.Trainers.FeedForward(Configure(new FeedForwardBinaryTrainer.Options(), nameof(FeedForwardScenario.Row.IsPositive))),
            _ => mlContext.Transforms.Conversion.MapValueToKey("Label", nameof(FeedForwardScenario.Row.Class))
                .Append(mlContext.MulticlassClassification.Trainers.FeedForward(Configure(new FeedForwardMulticlassTrainer.Options(), "Label"))),
        };
        return (mlContext, estimator.Fit(data));
    }

    private sealed class Prediction
    {
        public float Score { get; set; }

        public float Uncertainty { get; set; }
    }
}
