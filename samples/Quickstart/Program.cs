using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Samples.Quickstart;

/// <summary>
/// Multiclass classification of handwritten digits (8×8 pixel intensities) with MlNetDeep: train, evaluate,
/// save, load, and predict one row. Usage: <c>dotnet run --project samples/Quickstart [-- epochs]</c>.
/// </summary>
public static class Program
{
    public const int DefaultEpochs = 30;

    public static int Main(string[] args)
    {
        var epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : DefaultEpochs;
        Run(epochs, Path.Combine(AppContext.BaseDirectory, "digits.zip"), Console.Out);
        return 0;
    }

    /// <summary>Runs the whole scenario and returns the test accuracy and the class predicted for the first test row.</summary>
    public static (double Accuracy, string Predicted, string Actual) Run(int epochs, string modelPath, TextWriter output)
    {
        var mlContext = new MLContext(seed: 1);

        // 1. Load the data and hold out a test set.
        var data = mlContext.Data.LoadFromTextFile<Digit>(Path.Combine(AppContext.BaseDirectory, "digits.csv"), separatorChar: ',', hasHeader: true);
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

        // 2. The pipeline: class names to keys, the network, keys back to class names.
        //    No normalizer is needed: the trainer standardizes its inputs itself.
        var pipeline = mlContext.Transforms.Conversion.MapValueToKey(nameof(Digit.Label))
            .Append(mlContext.MulticlassClassification.Trainers.FeedForward(new FeedForwardMulticlassTrainer.Options
            {
                LabelColumnName = nameof(Digit.Label),
                FeatureColumnName = nameof(Digit.Pixels),
                HiddenLayers = [128, 64],
                NumberOfEpochs = epochs,
                Seed = 1,
            }))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

        // 3. Train and evaluate.
        var model = pipeline.Fit(split.TrainSet);
        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(split.TestSet), nameof(Digit.Label));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Test accuracy: {metrics.MicroAccuracy:P2}, log-loss: {metrics.LogLoss:0.0000}"));

        // 4. Save, load back, and predict one row.
        mlContext.Model.Save(model, data.Schema, modelPath);
        var loaded = mlContext.Model.Load(modelPath, out _);
        var engine = mlContext.Model.CreatePredictionEngine<Digit, DigitPrediction>(loaded);
        var first = mlContext.Data.CreateEnumerable<Digit>(split.TestSet, reuseRowObject: false).First();
        var prediction = engine.Predict(first);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"First test digit: actual {first.Label}, predicted {prediction.PredictedLabel} (probability {prediction.Score.Max():P1})"));
        output.WriteLine($"Model saved to {modelPath}");
        return (metrics.MicroAccuracy, prediction.PredictedLabel, first.Label);
    }
}

/// <summary>One row of digits.csv: the digit, then 64 pixel intensities 0–16.</summary>
public sealed class Digit
{
    [LoadColumn(0)]
    public string Label { get; set; } = string.Empty;

    [LoadColumn(1, 64)]
    [VectorType(64)]
    public float[] Pixels { get; set; } = [];
}

/// <summary>The model's answer: the predicted digit and the probability of each class.</summary>
public sealed class DigitPrediction
{
    public string PredictedLabel { get; set; } = string.Empty;

    public float[] Score { get; set; } = [];
}
