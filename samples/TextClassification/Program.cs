using System.Globalization;

namespace MlNetDeep.Samples.TextClassification;

/// <summary>
/// Text classification in the shape of ML.NET Model Builder's generated code: which of Jane Austen's six novels a passage
/// comes from, from <c>FeaturizeText</c>'s sparse n-gram features through a feed-forward network that never densifies
/// them. Train and save (TextClassificationModel.training.cs), then predict through the static
/// <c>TextClassificationModel.Predict</c> (TextClassificationModel.consumption.cs). Usage:
/// <c>dotnet run -c Release --project samples/TextClassification [-- epochs [rows]]</c>; rows takes a stratified sample of
/// the 15,487 passages (the tests train on a few thousand).
/// </summary>
public static class Program
{
    public const int DefaultEpochs = 30;

    public static int Main(string[] args)
    {
        var epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : DefaultEpochs;
        int? rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : null;
        Run(epochs, rows, Console.Out);
        return 0;
    }

    /// <summary>Trains, saves, and predicts one passage; returns the test accuracy, the fit time and the prediction.</summary>
    public static (double Accuracy, TimeSpan Elapsed, TextClassificationModel.ModelOutput Prediction) Run(int epochs, int? rows, TextWriter output)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var metrics = TextClassificationModel.Train(TextClassificationModel.MLNetModelPath, Path.Combine(AppContext.BaseDirectory, "austen.csv"), epochs, rows);
        var elapsed = stopwatch.Elapsed;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Test accuracy: {metrics.MicroAccuracy:P2}, macro accuracy: {metrics.MacroAccuracy:P2}, log-loss: {metrics.LogLoss:0.000} (trained and evaluated in {elapsed.TotalSeconds:F1} s)"));
        output.WriteLine($"Model saved to {TextClassificationModel.MLNetModelPath}");

        // The opening of Pride and Prejudice.
        var input = new TextClassificationModel.ModelInput
        {
            Text = "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife.",
        };
        var prediction = TextClassificationModel.Predict(input);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\"{input.Text}\": predicted {prediction.PredictedLabel} (probability {prediction.Score.Max():P1}); actual PrideAndPrejudice"));
        return (metrics.MicroAccuracy, elapsed, prediction);
    }
}
