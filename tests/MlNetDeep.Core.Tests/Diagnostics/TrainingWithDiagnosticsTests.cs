using MlNetDeep.Diagnostics;
using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Diagnostics;

public class TrainingWithDiagnosticsTests
{
    /// <summary>Three classes by the sign pattern of two features, with a little noise.</summary>
    private static TrainingData Data(int rows, int columns = 4)
    {
        var features = NetworkBuilder.Uniform(rows, columns, -2f, 2f, seed: 3);
        var labels = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            labels[r] = features[r * columns] > 0 ? (features[(r * columns) + 1] > 0 ? 2 : 1) : 0;
        }

        return new TrainingData(features, rows, columns, labels);
    }

    private static NetworkSpec Spec(
        Activation activation = Activation.ReLU,
        Normalization normalization = Normalization.BatchNorm,
        int depth = 2,
        int units = 16,
        float dropout = 0.2f,
        WeightInitializer initializer = WeightInitializer.Auto,
        float? initializerValue = null)
        => new()
        {
            WeightInitializer = initializer,
            WeightInitializerValue = initializerValue,
            InputSize = 4,
            Task = TaskKind.Multiclass,
            ClassCount = 3,
            HiddenLayers = Enumerable.Range(0, depth).Select(_ => new HiddenLayerSpec(units, activation, normalization, dropout)).ToArray(),
        };

    private static TrainingSettings Settings(int epochs, DiagnosticsSettings? diagnostics, int batchSize = 32) => new()
    {
        NumberOfEpochs = epochs,
        BatchSize = batchSize,
        LearningRate = 0.01f,
        Seed = 11,
        EarlyStoppingPatience = 2,
        Diagnostics = diagnostics,
    };

    [Fact]
    public void DiagnosticsDoNotChangeTheTrainedNetwork()
    {
        var data = Data(300);

        var without = NetworkTrainer.Train(Spec(), data, Settings(4, null));
        var with = NetworkTrainer.Train(Spec(), data, Settings(4, new DiagnosticsSettings()));

        Assert.Null(without.Diagnostics);
        Assert.Equal(without.Network.Parameters, with.Network.Parameters);
        Assert.Equal(without.Network.Buffers, with.Network.Buffers);
        Assert.Equal(without.History.Select(h => h.TrainingLoss), with.History.Select(h => h.TrainingLoss));
    }

    [Fact]
    public void RecordsTheInitialStateAndEveryEpochForEveryBlock()
    {
        var data = Data(300);

        var result = NetworkTrainer.Train(Spec(depth: 3), data, Settings(3, new DiagnosticsSettings()));

        var diagnostics = result.Diagnostics!;
        Assert.Equal([0, 1, 2, 3], diagnostics.Epochs);
        Assert.Equal(12, diagnostics.Records.Count);
        Assert.All(diagnostics.ForEpoch(0), r => Assert.Null(r.UpdateRatio));
        Assert.All(diagnostics.ForEpoch(0), r => Assert.Equal(32, r.Rows));
        Assert.All(diagnostics.ForEpoch(0), r => Assert.Equal(0.0, r.RunningMeanAverage));
        Assert.All(diagnostics.ForEpoch(0), r => Assert.Equal(1.0, r.RunningVarianceAverage));
        var trainingRows = diagnostics.Records[^1].Rows;
        Assert.InRange(trainingRows, 265, 275);
        foreach (var record in diagnostics.Records.Where(r => r.Epoch > 0))
        {
            Assert.Equal(trainingRows, record.Rows);
            Assert.InRange(record.UpdateRatio!.Value, 1e-4, 1);
            Assert.InRange(record.GradientNorm, 1e-4, 10);
            Assert.InRange(record.PreActivationStd, 0.9, 1.1);
            Assert.InRange(record.DeadFraction!.Value, 0, 0.5);
            Assert.NotEqual(0.0, record.RunningMeanAverage);
        }
    }

    [Fact]
    public void SmallRandomNormalWeightsVanishAtInitializationAndHeWeightsDoNot()
    {
        // Six tanh layers of 32 with weights of standard deviation 0.01: each layer multiplies the signal and
        // the back-propagated gradient by about 0.01·√32 ≈ 0.06, so the first layer's gradient is orders of
        // magnitude below the last's. Xavier keeps them comparable.
        var data = Data(200);
        var settings = Settings(1, new DiagnosticsSettings());
        var small = Spec(Activation.Tanh, Normalization.None, depth: 6, units: 32, dropout: 0, WeightInitializer.RandomNormal, 0.01f);
        var xavier = Spec(Activation.Tanh, Normalization.None, depth: 6, units: 32, dropout: 0, WeightInitializer.XavierNormal);

        var smallInitial = NetworkTrainer.Train(small, data, settings).Diagnostics!;
        var xavierInitial = NetworkTrainer.Train(xavier, data, settings).Diagnostics!;

        var warnings = smallInitial.FindGradientProblems().Where(w => w.Epoch == 0).ToArray();
        Assert.Contains(warnings, w => w.Block == 0 && w.Problem == GradientProblem.Vanishing);
        var stds = smallInitial.ForEpoch(0).Select(r => r.ActivationStd).ToArray();
        Assert.True(stds[^1] < 1e-3 * stds[0], $"Activation std should collapse layer by layer: {string.Join(", ", stds)}.");
        Assert.DoesNotContain(xavierInitial.FindGradientProblems(), w => w.Epoch == 0);
        Assert.All(xavierInitial.ForEpoch(0), r => Assert.InRange(r.ActivationStd, 0.2, 1));
    }

    [Fact]
    public void LargeRandomNormalWeightsExplodeAtInitialization()
    {
        var data = Data(200);
        var spec = Spec(Activation.ReLU, Normalization.None, depth: 6, units: 32, dropout: 0, WeightInitializer.RandomNormal, 1f);

        var diagnostics = NetworkTrainer.Train(spec, data, Settings(1, new DiagnosticsSettings())).Diagnostics!;

        Assert.Contains(diagnostics.FindGradientProblems(), w => w.Epoch == 0 && w.Problem == GradientProblem.Exploding);
    }

    [Fact]
    public void TrainingWithoutDiagnosticsAllocatesNothingPerStep()
    {
        // 640 rows in batches of 32: 20 steps an epoch, 30 epochs. The bytes this thread (which runs every step with
        // one kernel thread) allocates between the ends of two epochs are those of one epoch's 20 steps and its
        // record; the median over the epochs leaves out one-off allocations of the runtime (a method's first call at
        // a new tier, a type loaded), which land in some epoch, not in every one. A step that allocated any object
        // (24 bytes at least) would add 480 bytes to every epoch.
        var data = Data(640);
        var spec = Spec();
        long MedianPerEpoch(DiagnosticsSettings? diagnostics)
        {
            const int Epochs = 30;
            var ends = new long[Epochs];
            var settings = new TrainingSettings { NumberOfEpochs = Epochs, BatchSize = 32, ValidationFraction = 0, EarlyStoppingPatience = 0, Seed = 5, Diagnostics = diagnostics };
            NetworkTrainer.Train(spec, data, settings, epoch => ends[epoch.Epoch - 1] = GC.GetAllocatedBytesForCurrentThread());
            var perEpoch = ends.Zip(ends.Skip(1), (a, b) => b - a).Order().ToArray();
            return perEpoch[perEpoch.Length / 2];
        }

        var perEpochOff = MedianPerEpoch(null);
        var perEpochOn = MedianPerEpoch(new DiagnosticsSettings());

        Assert.True(perEpochOff < 400, $"Training without diagnostics allocated {perEpochOff} bytes in the median epoch of 20 steps.");
        Assert.True(perEpochOn < 800, $"Training with diagnostics allocated {perEpochOn} bytes in the median epoch of 20 steps (two block records expected).");
    }
}
