using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Internal;
using MlNetDeep.Tests.Fixtures;
using MlNetDeep.Training;

namespace MlNetDeep.Tests.Internal;

/// <summary>
/// Saves <see cref="LinearScorerModelParameters"/> inside ML.NET's own prediction transformers in a pipeline .zip and
/// loads it back, in this process and in a fresh one. These tests fail if an ML.NET internal that
/// src/MlNetDeep/Internal relies on changes.
/// </summary>
public class ModelPersistenceTests
{
    [Fact]
    public void RegressionModelRoundTripsInTheSameProcess()
    {
        using var folder = new TemporaryDirectory();
        var mlContext = new MLContext(seed: 1);
        var chain = PersistenceScenario.BuildRegression(mlContext, out var data);
        var before = chain.Transform(data).GetColumn<float>("Score").ToArray();
        var expected = PersistenceScenario.Rows().Select(PersistenceScenario.ExpectedScore).ToArray();
        Assert.Equal(expected, before);

        var path = folder.File("regression.zip");
        ModelFiles.SaveAtomically(mlContext, chain, data.Schema, path);
        var loaded = ModelFiles.Load(new MLContext(seed: 2), path, out var inputSchema);

        Assert.Equal(data.Schema.Count, inputSchema.Count);
        var predictor = Assert.IsAssignableFrom<RegressionPredictionTransformer<LinearScorerModelParameters>>(((TransformerChain<ITransformer>)loaded).Last());
        Assert.Equal(PersistenceScenario.Weights, predictor.Model.Weights.ToArray());
        Assert.Equal([PersistenceScenario.Bias], predictor.Model.Biases.ToArray());
        Assert.Equal(TaskKind.Regression, predictor.Model.Task);
        Assert.Equal(before, PersistenceScenario.LoadAndScore(path));
    }

    [Fact]
    public void RegressionModelLoadsInAFreshProcessWithoutRegistration()
    {
        using var folder = new TemporaryDirectory();
        var mlContext = new MLContext(seed: 1);
        var chain = PersistenceScenario.BuildRegression(mlContext, out var data);
        var expected = chain.Transform(data).GetColumn<float>("Score").ToArray();
        var path = folder.File("fresh.zip");
        ModelFiles.SaveAtomically(mlContext, chain, data.Schema, path);

        var (exitCode, output, error) = FreshProcess.Run("predict", path);

        Assert.True(exitCode == 0, $"The fresh process exited with {exitCode}: {error}");
        var scores = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => BitConverter.Int32BitsToSingle(int.Parse(line, CultureInfo.InvariantCulture)))
            .ToArray();
        Assert.Equal(expected, scores);
    }

    [Fact]
    public void BinaryModelRoundTripsWithPredictedLabels()
    {
        using var folder = new TemporaryDirectory();
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(PersistenceScenario.Rows());
        var concatenate = mlContext.Transforms.Concatenate("Features", "A", "B", "C").Fit(data);
        var model = new LinearScorerModelParameters(mlContext, TaskKind.Binary, PersistenceScenario.Weights, PersistenceScenario.Bias);
        var predictor = PredictionTransformers.Binary(mlContext, model, concatenate.GetOutputSchema(data.Schema), "Features", threshold: 1f);
        var chain = new TransformerChain<ITransformer>(concatenate).Append(predictor);
        var path = folder.File("binary.zip");
        ModelFiles.SaveAtomically(mlContext, chain, data.Schema, path);

        var loaded = ModelFiles.Load(new MLContext(seed: 2), path, out _).Transform(data);

        var expected = PersistenceScenario.Rows().Select(PersistenceScenario.ExpectedScore).ToArray();
        Assert.Equal(expected, loaded.GetColumn<float>("Score").ToArray());
        Assert.Equal(expected.Select(score => score > 1f).ToArray(), loaded.GetColumn<bool>("PredictedLabel").ToArray());
    }

    [Fact]
    public void MulticlassModelRoundTripsWithClassNames()
    {
        using var folder = new TemporaryDirectory();
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(PersistenceScenario.Rows());
        var prepare = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.Transforms.Concatenate("Features", "A", "B", "C"))
            .Fit(data);
        // Three classes (cat, dog, emu in key order) scoring A, B and C respectively.
        float[] weights = [1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f];
        var model = new LinearMulticlassScorerModelParameters(mlContext, weights, [0f, 0f, 0.5f]);
        var predictor = PredictionTransformers.Multiclass(mlContext, model, prepare.GetOutputSchema(data.Schema), "Features", "Label");
        var chain = prepare.Append(predictor).Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel").Fit(prepare.Append(predictor).Transform(data)));
        var path = folder.File("multiclass.zip");
        ModelFiles.SaveAtomically(mlContext, chain, data.Schema, path);

        var loaded = ModelFiles.Load(new MLContext(seed: 2), path, out _).Transform(data);

        var scores = loaded.GetColumn<float[]>("Score").ToArray();
        Assert.Equal([1f, 2f, 3.5f], scores[0]);
        Assert.Equal([3.75f, -2f, 0.5f], scores[2]);
        Assert.Equal(["emu", "emu", "cat", "cat"], loaded.GetColumn<string>("PredictedClass").ToArray());
    }

    [Fact]
    public void MissingStreamIsReportedByName()
    {
        using var folder = new TemporaryDirectory();
        var mlContext = new MLContext(seed: 1);
        var chain = PersistenceScenario.BuildRegression(mlContext, out var data);
        var path = folder.File("stripped.zip");
        ModelFiles.SaveAtomically(mlContext, chain, data.Schema, path);
        using (var archive = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Update))
        {
            var entry = archive.Entries.Single(e => e.FullName.EndsWith("LinearScorer.bin", StringComparison.Ordinal));
            entry.Delete();
        }

        var error = Assert.Throws<InvalidDataException>(() => ModelFiles.Load(mlContext, path, out _));
        Assert.Contains("LinearScorer.bin", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ScorersRejectAShapeTheirTransformerCannotUse()
    {
        var mlContext = new MLContext(seed: 1);
        Assert.Throws<ArgumentException>(() => new LinearScorerModelParameters(mlContext, TaskKind.Multiclass, [1f], 0f));
        Assert.Throws<ArgumentException>(() => new LinearMulticlassScorerModelParameters(mlContext, [1f, 2f], [0f]));
        Assert.Throws<ArgumentException>(() => new LinearMulticlassScorerModelParameters(mlContext, [1f, 2f, 3f], [0f, 0f]));
    }
}
