using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Internal;
using MlNetDeep.Tests.Internal;

namespace MlNetDeep.Tests.FeedForward;

/// <summary>
/// The ML.NET-style estimator workout every trainer goes through: schema propagation before and after fitting, fit,
/// transform, save, load in this process and in a fresh one, and bit-identical scores throughout.
/// </summary>
public static class FeedForwardWorkout
{
    /// <summary>Runs the workout for <paramref name="task"/> and returns the fitted model with its scored training and test data.</summary>
    public static (ITransformer Model, IDataView Train, IDataView Test) Run(string task)
    {
        var mlContext = new MLContext(seed: 3);
        var train = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(300, seed: 1));
        var test = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.TestRows());
        var pipeline = FeedForwardScenario.Pipeline(mlContext, task);

        var predictedShape = pipeline.GetOutputSchema(SchemaShapes.Of(train.Schema));
        var model = pipeline.Fit(train);
        var scoredTest = model.Transform(test);
        var fittedSchema = model.GetOutputSchema(test.Schema);
        foreach (var column in predictedShape)
        {
            var actual = scoredTest.Schema[column.Name];
            var itemType = actual.Type is VectorDataViewType vector ? vector.ItemType : actual.Type;
            Assert.Equal(column.ItemType.RawType, itemType.RawType);
            Assert.Equal(column.Kind == SchemaShape.Column.VectorKind.Scalar, actual.Type is not VectorDataViewType);
            Assert.Equal(fittedSchema[column.Name].Type, actual.Type);
        }

        var scores = FeedForwardScenario.Scores(scoredTest);
        Assert.All(scores, s => Assert.True(float.IsFinite(s)));

        using var folder = new TemporaryDirectory();
        var path = folder.File($"{task}.zip");
        mlContext.Model.Save(model, train.Schema, path);
        Assert.Equal(scores, FeedForwardScenario.LoadAndScore(path));
        Assert.Equal(scores, FreshProcess.RunAndReadFloats("score-feedforward", path));
        return (model, model.Transform(train), scoredTest);
    }

    /// <summary>Fits the pipeline of <paramref name="task"/> on the training rows and scores the test rows, without the rest of the workout.</summary>
    public static IDataView FitAndScore(string task)
    {
        var mlContext = new MLContext(seed: 3);
        var model = FeedForwardScenario.Pipeline(mlContext, task).Fit(mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(300, seed: 1)));
        return model.Transform(mlContext.Data.LoadFromEnumerable(FeedForwardScenario.TestRows()));
    }
}
