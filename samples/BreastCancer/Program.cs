using System.Globalization;

namespace MlNetDeep.Samples.BreastCancer;

/// <summary>
/// Binary classification of breast tumours in the shape of ML.NET Model Builder's generated code: train and save
/// (BreastCancerModel.training.cs), then predict through the static <c>BreastCancerModel.Predict</c>
/// (BreastCancerModel.consumption.cs). Usage: <c>dotnet run --project samples/BreastCancer [-- epochs]</c>.
/// </summary>
public static class Program
{
    public const int DefaultEpochs = 60;

    public static int Main(string[] args)
    {
        var epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : DefaultEpochs;
        Run(epochs, Console.Out);
        return 0;
    }

    /// <summary>Trains, saves, and predicts one tumour; returns the test accuracy and the prediction.</summary>
    public static (double Accuracy, BreastCancerModel.ModelOutput Prediction) Run(int epochs, TextWriter output)
    {
        var metrics = BreastCancerModel.Train(BreastCancerModel.MLNetModelPath, Path.Combine(AppContext.BaseDirectory, "breast_cancer.csv"), epochs);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Test accuracy: {metrics.Accuracy:P2}, AUC: {metrics.AreaUnderRocCurve:0.0000}"));
        output.WriteLine($"Model saved to {BreastCancerModel.MLNetModelPath}");

        // The first row of breast_cancer.csv (a malignant tumour).
        var input = new BreastCancerModel.ModelInput
        {
            MeanRadius = 17.99f, MeanTexture = 10.38f, MeanPerimeter = 122.8f, MeanArea = 1001f, MeanSmoothness = 0.1184f,
            MeanCompactness = 0.2776f, MeanConcavity = 0.3001f, MeanConcavePoints = 0.1471f, MeanSymmetry = 0.2419f, MeanFractalDimension = 0.07871f,
            RadiusError = 1.095f, TextureError = 0.9053f, PerimeterError = 8.589f, AreaError = 153.4f, SmoothnessError = 0.006399f,
            CompactnessError = 0.04904f, ConcavityError = 0.05373f, ConcavePointsError = 0.01587f, SymmetryError = 0.03003f, FractalDimensionError = 0.006193f,
            WorstRadius = 25.38f, WorstTexture = 17.33f, WorstPerimeter = 184.6f, WorstArea = 2019f, WorstSmoothness = 0.1622f,
            WorstCompactness = 0.6656f, WorstConcavity = 0.7119f, WorstConcavePoints = 0.2654f, WorstSymmetry = 0.4601f, WorstFractalDimension = 0.1189f,
        };
        var prediction = BreastCancerModel.Predict(input);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"First row: predicted {(prediction.PredictedLabel ? "benign" : "malignant")} (probability of benign {prediction.Probability:P1}); actual malignant"));
        return (metrics.Accuracy, prediction);
    }
}
