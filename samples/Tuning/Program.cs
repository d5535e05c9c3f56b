using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Tuning;

namespace MlNetDeep.Samples.Tuning;

/// <summary>
/// Hyperparameter tuning on the breast cancer data: a Bayesian search over the FeedForward trainer's options
/// (learning rate, depth and width, activation, normalization, dropout, initializer, batch size, L2), judged by
/// 3-fold cross-validated AUC on the training rows, then the best options retrained on all of them and
/// evaluated once on the held-out test rows. The search space is narrowed here to keep the sample quick.
/// Usage: <c>dotnet run --project samples/Tuning [-- trials [epochs]]</c>.
/// </summary>
public static class Program
{
    public const int DefaultTrials = 15;
    public const int DefaultEpochs = 60;

    public static int Main(string[] args)
    {
        var trials = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : DefaultTrials;
        var epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : DefaultEpochs;
        Run(trials, epochs, Console.Out);
        return 0;
    }

    /// <summary>Tunes, retrains and evaluates; returns the number of trials run and the test AUC of the best model.</summary>
    public static (int Trials, double TestAuc) Run(int trials, int epochs, TextWriter output)
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromTextFile<Tumour>(Path.Combine(AppContext.BaseDirectory, "breast_cancer.csv"), separatorChar: ',', hasHeader: true);
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

        var space = new SearchSpace()
            .AddFloat(FeedForwardSearchSpace.LearningRate, 1e-4, 3e-2, logScale: true)
            .AddInt(FeedForwardSearchSpace.Layers, 1, 3)
            .AddInt(FeedForwardSearchSpace.Units, 16, 256, logScale: true)
            .AddChoice(FeedForwardSearchSpace.Activation, "ReLU", "GELU", "SELU", "Tanh")
            .AddChoice(FeedForwardSearchSpace.Normalization, "None", "BatchNorm", "LayerNorm");

        var result = mlContext.BinaryClassification.TuneFeedForward(split.TrainSet, new FeedForwardTuningOptions
        {
            MaxTrials = trials,
            NumberOfFolds = 3,
            Metric = FeedForwardTuningMetric.AreaUnderRocCurve,
            SearchSpace = space,
            BaseOptions = new FeedForwardBinaryTrainer.Options { NumberOfEpochs = epochs },
            Seed = 1,
            Progress = trial => output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"trial {trial.Index + 1,2}: AUC {(trial.Succeeded ? trial.Value.ToString("0.0000", CultureInfo.InvariantCulture) : "failed")}  {trial.Parameters}")),
        });

        var best = result.BestOptions;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Best of {result.Trials.Count} trials (trial {result.BestTrial.Index + 1}): hidden [{string.Join(", ", best.HiddenLayers)}], {best.Activation}, {best.Normalization}, learning rate {best.LearningRate:G3}"));

        var test = mlContext.BinaryClassification.Evaluate(result.BestModel.Transform(split.TestSet));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Test AUC {test.AreaUnderRocCurve:0.0000}, accuracy {test.Accuracy:0.0000}"));
        return (result.Trials.Count, test.AreaUnderRocCurve);
    }
}

/// <summary>One row of breast_cancer.csv: the label (true = benign), then 30 measurements of the cell nuclei.</summary>
public sealed class Tumour
{
    [LoadColumn(0)]
    public bool Label { get; set; }

    [LoadColumn(1, 30)]
    [VectorType(30)]
    public float[] Features { get; set; } = [];
}
