using MlNetDeep.Compute;
using MlNetDeep.Training;

namespace MlNetDeep.Tests.Training;

/// <summary>
/// Trains a small network with dropout at every layer for three epochs on a fixed synthetic data set and returns its
/// parameters; <see cref="Program"/> runs it in a fresh process with some vector widths switched off, so the tests can
/// compare what the same seed trains at each width.
/// </summary>
public static class VectorWidthScenario
{
    /// <summary>The trained parameters.</summary>
    public static float[] TrainedParameters()
    {
        const int Rows = 600, Columns = 24, Classes = 5;
        var random = new RandomGenerator(11);
        var features = new float[Rows * Columns];
        var labels = new float[Rows];
        for (var r = 0; r < Rows; r++)
        {
            double score = 0;
            for (var c = 0; c < Columns; c++)
            {
                var value = (float)((random.NextDouble() * 2) - 1);
                features[(r * Columns) + c] = value;
                score += value * ((c % 3) - 1);
            }

            labels[r] = Math.Clamp((int)((score + 2.5) * Classes / 5), 0, Classes - 1);
        }

        var spec = new NetworkSpec
        {
            InputSize = Columns,
            Task = TaskKind.Multiclass,
            ClassCount = Classes,
            InputDropoutRate = 0.1f,
            HiddenLayers = [new HiddenLayerSpec(37, Activation.ReLU, Normalization.BatchNorm, 0.3f), new HiddenLayerSpec(19, Activation.GELU, Normalization.None, 0.3f)],
        };
        var settings = new TrainingSettings { NumberOfEpochs = 3, BatchSize = 32, ValidationFraction = 0, Seed = 7, Threads = 1 };
        return NetworkTrainer.Train(spec, new TrainingData(features, Rows, Columns, labels), settings).Network.Parameters;
    }
}
