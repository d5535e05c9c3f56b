using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

namespace MlNetDeep.Samples.OnnxExport;

/// <summary>
/// Train, export to ONNX, score the .onnx file with ONNX Runtime: a breast-cancer classifier (30 measurements of a
/// tumour's cell nuclei, benign or malignant) trained as an ML.NET pipeline (min-max normalization, then the
/// FeedForward trainer), written with <c>mlContext.Model.ConvertToOnnx</c>, then scored by ONNX Runtime alone, as a
/// service in another language would, and compared with the ML.NET pipeline's own predictions.
/// Usage: <c>dotnet run --project samples/OnnxExport [-- epochs [model.onnx]]</c>.
/// </summary>
public static class Program
{
    public const int DefaultEpochs = 60;

    public static int Main(string[] args)
    {
        var epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : DefaultEpochs;
        var path = args.Length > 1 ? args[1] : Path.Combine(AppContext.BaseDirectory, "BreastCancer.onnx");
        Run(epochs, path, Console.Out);
        return 0;
    }

    /// <summary>Trains, exports to <paramref name="onnxPath"/> and scores the test rows there; returns the test accuracy and the largest probability difference from ML.NET.</summary>
    public static (double Accuracy, double MaxProbabilityDifference) Run(int epochs, string onnxPath, TextWriter output)
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromTextFile<Tumour>(Path.Combine(AppContext.BaseDirectory, "breast_cancer.csv"), separatorChar: ',', hasHeader: true);
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

        // 1. Train an ordinary ML.NET pipeline.
        var pipeline = mlContext.Transforms.NormalizeMinMax(nameof(Tumour.Measurements))
            .Append(mlContext.BinaryClassification.Trainers.FeedForward(new FeedForwardBinaryTrainer.Options
            {
                LabelColumnName = nameof(Tumour.Benign),
                FeatureColumnName = nameof(Tumour.Measurements),
                NumberOfEpochs = epochs,
                Seed = 1,
            }));
        var model = pipeline.Fit(split.TrainSet);

        // 2. Export the whole pipeline, normalizer included. The sample rows give the input schema.
        using (var stream = File.Create(onnxPath))
        {
            mlContext.Model.ConvertToOnnx(model, split.TestSet, stream);
        }

        output.WriteLine($"Exported the pipeline to {onnxPath} ({new FileInfo(onnxPath).Length:N0} bytes).");

        // 3. Score the test rows with ONNX Runtime alone: one input per column of the data, the measurements as [rows, 30].
        var tumours = mlContext.Data.CreateEnumerable<Tumour>(split.TestSet, reuseRowObject: false).ToArray();
        using var session = new InferenceSession(onnxPath);
        using var measurements = OrtValue.CreateTensorValueFromMemory(tumours.SelectMany(t => t.Measurements).ToArray(), [tumours.Length, Tumour.MeasurementCount]);
        using var labels = OrtValue.CreateTensorValueFromMemory(tumours.Select(t => t.Benign).ToArray(), [tumours.Length, 1]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [nameof(Tumour.Benign), nameof(Tumour.Measurements)], [labels, measurements], ["PredictedLabel.output", "Probability.output"]);
        var predicted = results[0].GetTensorDataAsSpan<bool>().ToArray();
        var probabilities = results[1].GetTensorDataAsSpan<float>().ToArray();

        // 4. Compare with the ML.NET pipeline.
        var expected = model.Transform(split.TestSet).GetColumn<float>("Probability").ToArray();
        var difference = expected.Zip(probabilities, (e, a) => Math.Abs(e - (double)a)).Max();
        var accuracy = tumours.Zip(predicted, (t, p) => t.Benign == p).Average(correct => correct ? 1.0 : 0.0);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ONNX Runtime on {tumours.Length} test tumours: accuracy {accuracy:0.000}, largest probability difference from ML.NET {difference:0.0e0}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"First test tumour: benign {tumours[0].Benign}, ONNX Runtime predicts {predicted[0]} (probability {probabilities[0]:0.000})"));
        return (accuracy, difference);
    }
}

/// <summary>One row of breast_cancer.csv: benign (1) or malignant (0), then the 30 measurements.</summary>
public sealed class Tumour
{
    public const int MeasurementCount = 30;

    [LoadColumn(0)]
    public bool Benign { get; set; }

    [LoadColumn(1, MeasurementCount)]
    [VectorType(MeasurementCount)]
    public float[] Measurements { get; set; } = [];
}
