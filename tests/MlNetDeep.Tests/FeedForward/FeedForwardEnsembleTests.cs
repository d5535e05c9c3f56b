using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Tests.FeedForward;

/// <summary>The trainers with a parameter-efficient ensemble: the whole workout, the uncertainty column, the embedding and the option check.</summary>
public class FeedForwardEnsembleTests
{
    [Theory]
    [InlineData("multiclass-ensemble")]
    [InlineData("binary-ensemble")]
    [InlineData("regression-ensemble")]
    public void EnsemblesGoThroughTheWorkoutWithAnUncertaintyColumn(string task)
    {
        var (model, _, test) = FeedForwardWorkout.Run(task);
        var uncertainty = test.GetColumn<float>("Uncertainty").ToArray();
        Assert.All(uncertainty, u => Assert.True(u >= 0 && float.IsFinite(u)));
        Assert.Contains(uncertainty, u => u > 0);

        var mlContext = new MLContext(seed: 1);
        switch (task)
        {
            case "multiclass-ensemble":
                Assert.True(mlContext.MulticlassClassification.Evaluate(test).MicroAccuracy > 0.85);
                break;
            case "binary-ensemble":
                Assert.True(mlContext.BinaryClassification.Evaluate(test, labelColumnName: nameof(FeedForwardScenario.Row.IsPositive)).Accuracy > 0.85);
                break;
            default:
                Assert.True(mlContext.Regression.Evaluate(test, labelColumnName: nameof(FeedForwardScenario.Row.Target)).RSquared > 0.8);
                var predictor = Assert.IsType<RegressionPredictionTransformer<FeedForwardModelParameters>>(model);
                Assert.Equal(5, predictor.Model.EnsembleSize);
                Assert.Contains("ensemble of 5", predictor.Model.ToString());
                break;
        }
    }

    [Fact]
    public void TheEmbeddingOfAnEnsembleIsItsMembersActivationsSideBySide()
    {
        var mlContext = new MLContext(seed: 3);
        var train = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(300, seed: 1));
        var model = (RegressionPredictionTransformer<FeedForwardModelParameters>)FeedForwardScenario.Pipeline(mlContext, "regression-ensemble").Fit(train);
        var transformer = mlContext.Transforms.FeedForwardEmbedding(model.Model).Fit(train);
        Assert.Equal(5 * 16, transformer.EmbeddingSize);
    }

    [Fact]
    public void EnsembleSizeOutOfRangeIsRefusedByName()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new MLContext(seed: 1).Regression.Trainers.FeedForward(new FeedForwardRegressionTrainer.Options { EnsembleSize = 0 }));
        Assert.Contains(nameof(FeedForwardTrainerOptionsBase.EnsembleSize), error.Message);
    }

    [Fact]
    public void DiagnosticsCoverEveryMemberUnitOfAnEnsembleWithAnEmbedding()
    {
        var mlContext = new MLContext(seed: 3);
        var options = FeedForwardScenario.Small(new FeedForwardRegressionTrainer.Options(), nameof(FeedForwardScenario.Row.Target));
        options.HiddenLayers = [12, 6];
        options.EnsembleSize = 3;
        options.NumericEmbedding = NumericEmbedding.Periodic;
        options.EmbeddingDimension = 4;
        options.NumberOfEpochs = 3;
        options.Diagnostics = true;
        var model = mlContext.Regression.Trainers.FeedForward(options).Fit(mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(120, seed: 1))).Model;

        var diagnostics = model.Diagnostics!;
        Assert.Equal(4 * 2, diagnostics.Records.Count);
        foreach (var record in diagnostics.Records)
        {
            Assert.Equal(record.Layer == 0 ? 36 : 18, record.Units);
            Assert.True(record.ActivationStd > 0 && double.IsFinite(record.ActivationStd), record.ToString());
            Assert.True(record.GradientNorm > 0 && double.IsFinite(record.GradientNorm), record.ToString());
        }

        // The shared weight of the first block, [units, features × embedding dimension].
        var weight = model.GetParameters()["layers.0.weight"];
        Assert.Equal(12 * FeedForwardScenario.FeatureCount * 4, weight.Length);
        Assert.Equal(Math.Sqrt(weight.Sum(w => (double)w * w)), diagnostics.Records.Single(r => r.Epoch == 3 && r.Layer == 0).WeightNorm, 4);
    }

    [Fact]
    public void AnEnsembleSavesAndLoadsWithItsDiagnostics()
    {
        // A record counts the units of every member; the loader checks it against the block's units times the members.
        var mlContext = new MLContext(seed: 3);
        var options = FeedForwardScenario.Small(new FeedForwardRegressionTrainer.Options(), nameof(FeedForwardScenario.Row.Target));
        options.HiddenLayers = [12, 6];
        options.EnsembleSize = 3;
        options.NumberOfEpochs = 2;
        options.Diagnostics = true;
        var data = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(120, seed: 1));
        var model = mlContext.Regression.Trainers.FeedForward(options).Fit(data);
        using var stream = new MemoryStream();
        mlContext.Model.Save(model, data.Schema, stream);
        stream.Position = 0;

        var loaded = Assert.IsType<RegressionPredictionTransformer<FeedForwardModelParameters>>(mlContext.Model.Load(stream, out _));
        Assert.Equal(model.Model.Diagnostics!.ToCsv(), loaded.Model.Diagnostics!.ToCsv());
        Assert.Equal([36, 18, 36, 18, 36, 18], loaded.Model.Diagnostics.Records.Select(r => r.Units));
        var rows = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.TestRows());
        Assert.Equal(model.Transform(rows).GetColumn<float>("Score"), loaded.Transform(rows).GetColumn<float>("Score"));
    }

    [Fact]
    public void MonteCarloDropoutOfAnEnsembleAveragesEveryMemberOfEveryPass()
    {
        var mlContext = new MLContext(seed: 3);
        var options = FeedForwardScenario.Small(new FeedForwardBinaryTrainer.Options(), nameof(FeedForwardScenario.Row.IsPositive));
        options.EnsembleSize = 3;
        options.DropoutRate = 0.2f;
        options.MonteCarloDropoutPasses = 5;
        var train = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(200, seed: 1));
        var scored = mlContext.BinaryClassification.Trainers.FeedForward(options).Fit(train).Transform(mlContext.Data.LoadFromEnumerable(FeedForwardScenario.TestRows()));

        var uncertainty = scored.GetColumn<float>("Uncertainty").ToArray();
        var probability = scored.GetColumn<float>("Probability").ToArray();
        Assert.All(uncertainty, u => Assert.InRange(u, 0f, 0.5f));
        Assert.Contains(uncertainty, u => u > 0);
        Assert.True(mlContext.BinaryClassification.Evaluate(scored, labelColumnName: nameof(FeedForwardScenario.Row.IsPositive)).Accuracy > 0.85);
        Assert.All(probability, p => Assert.InRange(p, 0f, 1f));
    }
}
