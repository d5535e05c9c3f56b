using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Samples.Regression;

/// <summary>
/// Regression on the diabetes data: predict disease progression one year after baseline (25–346) from age, sex,
/// body-mass index, blood pressure and six blood serum measurements. The trainer standardizes the target
/// internally, so predictions and RMSE are on the target's own scale.
/// Usage: <c>dotnet run --project samples/Regression [-- epochs]</c>.
/// </summary>
public static class Program
{
    public const int DefaultEpochs = 200;

    public static int Main(string[] args)
    {
        var epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : DefaultEpochs;
        Run(epochs, Console.Out);
        return 0;
    }

    /// <summary>Trains and evaluates; returns the test RMSE and the prediction for the first test patient.</summary>
    public static (double Rmse, float Predicted, float Actual) Run(int epochs, TextWriter output)
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromTextFile<Patient>(Path.Combine(AppContext.BaseDirectory, "diabetes.csv"), separatorChar: ',', hasHeader: true);
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

        var pipeline = mlContext.Regression.Trainers.FeedForward(new FeedForwardRegressionTrainer.Options
        {
            LabelColumnName = nameof(Patient.Label),
            FeatureColumnName = nameof(Patient.Features),
            HiddenLayers = [32, 16],
            DropoutRate = 0.1f,
            Normalization = Normalization.None,
            NumberOfEpochs = epochs,
            Seed = 1,
        });
        var model = pipeline.Fit(split.TrainSet);

        var metrics = mlContext.Regression.Evaluate(model.Transform(split.TestSet), nameof(Patient.Label));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Test RMSE: {metrics.RootMeanSquaredError:0.00} (target sd 77.1), MAE: {metrics.MeanAbsoluteError:0.00}, R²: {metrics.RSquared:0.000}"));

        var engine = mlContext.Model.CreatePredictionEngine<Patient, Progression>(model);
        var first = mlContext.Data.CreateEnumerable<Patient>(split.TestSet, reuseRowObject: false).First();
        var predicted = engine.Predict(first).Score;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"First test patient: actual {first.Label:0}, predicted {predicted:0.0}"));
        return (metrics.RootMeanSquaredError, predicted, first.Label);
    }
}

/// <summary>One row of diabetes.csv: the target, then the ten baseline measurements.</summary>
public sealed class Patient
{
    [LoadColumn(0)]
    public float Label { get; set; }

    [LoadColumn(1, 10)]
    [VectorType(10)]
    public float[] Features { get; set; } = [];
}

/// <summary>The predicted disease progression.</summary>
public sealed class Progression
{
    public float Score { get; set; }
}
