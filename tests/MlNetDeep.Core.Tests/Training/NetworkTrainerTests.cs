using MlNetDeep.Compute;
using MlNetDeep.Layers;
using MlNetDeep.GradientOptimizers;
using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Training;

public class NetworkTrainerTests
{
    /// <summary>Two interleaved spirals-like rings: class = whether the radius exceeds 1.</summary>
    private static TrainingData Rings(int rows, long seed, int classes = 2)
    {
        var random = new RandomGenerator(seed);
        var features = new float[rows * 2];
        var labels = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            var x = (float)((random.NextDouble() * 4) - 2);
            var y = (float)((random.NextDouble() * 4) - 2);
            features[2 * r] = x;
            features[(2 * r) + 1] = y;
            var radius = MathF.Sqrt((x * x) + (y * y));
            labels[r] = Math.Min(classes - 1, (int)(radius / (2.0 / classes * 1.2)));
        }

        return new TrainingData(features, rows, 2, labels);
    }

    private static NetworkSpec Spec(TaskKind task, int classes, Normalization normalization = Normalization.None, float dropout = 0f) => new()
    {
        InputSize = 2,
        Task = task,
        ClassCount = classes,
        HiddenLayers = [new HiddenLayerSpec(32, Activation.ReLU, normalization, dropout), new HiddenLayerSpec(16, Activation.ReLU, normalization, 0f)],
    };

    private static double Accuracy(SequentialNetwork network, TrainingData data)
    {
        var scorer = network.CreateScorer();
        var outputs = new float[data.Rows * network.Spec.OutputSize];
        scorer.Score(data.Features, outputs, data.Rows);
        var correct = 0;
        for (var r = 0; r < data.Rows; r++)
        {
            var predicted = network.Spec.Task == TaskKind.Binary
                ? (outputs[r] > 0 ? 1 : 0)
                : System.Numerics.Tensors.TensorPrimitives.IndexOfMax(outputs.AsSpan(r * network.Spec.OutputSize, network.Spec.OutputSize));
            correct += predicted == (int)data.Labels[r] ? 1 : 0;
        }

        return correct / (double)data.Rows;
    }

    [Theory]
    [InlineData(Normalization.None)]
    [InlineData(Normalization.BatchNorm)]
    [InlineData(Normalization.LayerNorm)]
    public void LearnsANonLinearBoundary(Normalization normalization)
    {
        var train = Rings(1500, 1, classes: 3);
        var test = Rings(500, 2, classes: 3);
        var settings = new TrainingSettings { NumberOfEpochs = 40, BatchSize = 32, LearningRate = 3e-3f, Seed = 7, EarlyStoppingPatience = 0 };
        var result = NetworkTrainer.Train(Spec(TaskKind.Multiclass, 3, normalization, 0.1f), train, settings);
        Assert.Equal(40, result.History.Count);
        Assert.True(result.History[^1].TrainingLoss < result.History[0].TrainingLoss / 2, $"loss {result.History[0].TrainingLoss} → {result.History[^1].TrainingLoss}");
        Assert.InRange(Accuracy(result.Network, test), 0.9, 1.0);
        Assert.NotNull(result.History[^1].ValidationMetric);
    }

    [Fact]
    public void BinaryTaskLearnsWithOneLogit()
    {
        var train = Rings(1000, 3);
        var test = Rings(400, 4);
        var result = NetworkTrainer.Train(Spec(TaskKind.Binary, 0), train, new TrainingSettings { NumberOfEpochs = 30, BatchSize = 32, LearningRate = 3e-3f, Seed = 1 });
        Assert.InRange(Accuracy(result.Network, test), 0.93, 1.0);
    }

    [Fact]
    public void RegressionPredictsOnTheOriginalScale()
    {
        var random = new RandomGenerator(5);
        const int Rows = 800;
        var features = new float[Rows * 2];
        var labels = new float[Rows];
        for (var r = 0; r < Rows; r++)
        {
            features[2 * r] = (float)random.NextGaussian();
            features[(2 * r) + 1] = (float)random.NextGaussian();
            labels[r] = 150 + (60 * features[2 * r]) - (20 * features[(2 * r) + 1] * features[(2 * r) + 1]);
        }

        var data = new TrainingData(features, Rows, 2, labels);
        var result = NetworkTrainer.Train(Spec(TaskKind.Regression, 0), data, new TrainingSettings { NumberOfEpochs = 60, BatchSize = 32, LearningRate = 3e-3f, Seed = 2 });
        var scorer = result.Network.CreateScorer();
        var predictions = new float[Rows];
        scorer.Score(features, predictions, Rows);
        var rmse = Math.Sqrt(predictions.Select((p, i) => (p - labels[i]) * (double)(p - labels[i])).Average());
        Assert.InRange(rmse, 0, 8); // the target's standard deviation is about 68
        Assert.InRange(result.History[^1].ValidationMetric!.Value, 0, 10);
    }

    [Fact]
    public void SameSeedGivesIdenticalParameters()
    {
        var data = Rings(300, 1);
        var settings = new TrainingSettings { NumberOfEpochs = 3, BatchSize = 16, Seed = 11 };
        var a = NetworkTrainer.Train(Spec(TaskKind.Multiclass, 2, Normalization.BatchNorm, 0.2f), data, settings).Network;
        var b = NetworkTrainer.Train(Spec(TaskKind.Multiclass, 2, Normalization.BatchNorm, 0.2f), data, settings).Network;
        Assert.Equal(a.Parameters, b.Parameters);
        Assert.Equal(a.Buffers, b.Buffers);
        var c = NetworkTrainer.Train(Spec(TaskKind.Multiclass, 2, Normalization.BatchNorm, 0.2f), data, new TrainingSettings { NumberOfEpochs = 3, BatchSize = 16, Seed = 12 }).Network;
        Assert.NotEqual(a.Parameters, c.Parameters);
    }

    [Theory]
    [InlineData(TaskKind.Multiclass)]
    [InlineData(TaskKind.Binary)]
    public void LabelSmoothingZeroTrainsTheSameBitsAsPlainCrossEntropy(TaskKind task)
    {
        // ε = 0 must leave the loss on its plain cross-entropy path: the same parameters, buffers and losses, bit for bit.
        var classes = task == TaskKind.Multiclass ? 3 : 2;
        var data = Rings(300, 5, classes);
        var spec = Spec(task, task == TaskKind.Multiclass ? classes : 0, Normalization.BatchNorm, 0.1f);
        var plain = new TrainingSettings { NumberOfEpochs = 3, BatchSize = 32, Seed = 4, Threads = 1 };

        var a = NetworkTrainer.Train(spec, data, plain);
        var b = NetworkTrainer.Train(spec, data, plain with { LabelSmoothing = 0f });
        var smoothed = NetworkTrainer.Train(spec, data, plain with { LabelSmoothing = 0.1f });

        Assert.Equal(a.Network.Parameters.Select(BitConverter.SingleToInt32Bits), b.Network.Parameters.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(a.Network.Buffers.Select(BitConverter.SingleToInt32Bits), b.Network.Buffers.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(a.History.Select(h => (h.TrainingLoss, h.ValidationLoss)), b.History.Select(h => (h.TrainingLoss, h.ValidationLoss)));
        Assert.NotEqual(a.Network.Parameters, smoothed.Network.Parameters);
    }

    [Fact]
    public void LabelSmoothingOfARegressionNetworkIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(Spec(TaskKind.Regression, 0), Rings(50, 1), new TrainingSettings { NumberOfEpochs = 1, LabelSmoothing = 0.1f }));
        Assert.Contains("LabelSmoothing applies to classification only", error.Message, StringComparison.Ordinal);
        Assert.Contains("Received: LabelSmoothing=0.1.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EarlyStoppingKeepsTheBestEpochsWeights()
    {
        // Noisy labels and a large network over-fit quickly, so validation loss turns up.
        var data = Rings(200, 8);
        var random = new RandomGenerator(3);
        for (var r = 0; r < data.Rows; r += 3)
        {
            data.Labels[r] = random.NextInt(2);
        }

        var spec = new NetworkSpec { InputSize = 2, Task = TaskKind.Multiclass, ClassCount = 2, HiddenLayers = [new HiddenLayerSpec(128, Activation.ReLU, Normalization.None, 0f), new HiddenLayerSpec(128, Activation.ReLU, Normalization.None, 0f)] };
        var result = NetworkTrainer.Train(spec, data, new TrainingSettings { NumberOfEpochs = 300, BatchSize = 8, LearningRate = 1e-2f, EarlyStoppingPatience = 5, ValidationFraction = 0.3f, Seed = 1 });
        Assert.True(result.History.Count < 300, "early stopping should end training before the last epoch");
        Assert.Equal(result.History.Count - 5, result.BestEpoch);
        var best = result.History[result.BestEpoch - 1].ValidationLoss!.Value;
        Assert.Equal(result.History.Where(h => h.ValidationLoss.HasValue).Min(h => h.ValidationLoss!.Value), best);
    }

    [Fact]
    public void EarlyStoppingOnTheMetricKeepsTheMostAccurateEpoch()
    {
        var data = Rings(200, 8);
        var random = new RandomGenerator(3);
        for (var r = 0; r < data.Rows; r += 3)
        {
            data.Labels[r] = random.NextInt(2);
        }

        var spec = new NetworkSpec { InputSize = 2, Task = TaskKind.Multiclass, ClassCount = 2, HiddenLayers = [new HiddenLayerSpec(64, Activation.ReLU, Normalization.None, 0f)] };
        var result = NetworkTrainer.Train(spec, data, new TrainingSettings { NumberOfEpochs = 60, BatchSize = 8, LearningRate = 1e-2f, EarlyStoppingPatience = 8, ValidationFraction = 0.3f, Seed = 1, EarlyStoppingMonitor = EarlyStoppingMonitor.ValidationMetric });

        // The kept epoch has the highest validation accuracy, and the lowest validation loss among the epochs that share it.
        var kept = result.History[result.BestEpoch - 1];
        var bestAccuracy = result.History.Max(h => h.ValidationMetric!.Value);
        Assert.Equal(bestAccuracy, kept.ValidationMetric!.Value);
        Assert.Equal(result.History.Where(h => h.ValidationMetric == bestAccuracy).Min(h => h.ValidationLoss!.Value), kept.ValidationLoss!.Value);
        Assert.Equal(Math.Min(result.History.Count, 60), result.History.Count);
        Assert.True(result.History.Count == 60 || result.History.Count - result.BestEpoch == 8);
    }

    [Fact]
    public void DivergenceIsReportedWithTheEpoch()
    {
        var data = Rings(200, 1);
        var spec = Spec(TaskKind.Regression, 0);
        var huge = new TrainingData(data.Features.Select(v => v * 1e18f).ToArray(), data.Rows, 2, data.Labels.Select(v => v * 1e30f).ToArray());
        var error = Assert.Throws<InvalidOperationException>(() => NetworkTrainer.Train(
            spec,
            huge,
            new TrainingSettings { Optimizer = Optimizer.SGD, LearningRate = 1e6f, Momentum = 0, NumberOfEpochs = 50, StandardizeFeatures = false, Seed = 1 }));
        Assert.Contains("epoch", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(0, "LearningRate")]
    [InlineData(1, "BatchSize")]
    [InlineData(2, "ValidationFraction")]
    [InlineData(3, "NumberOfEpochs")]
    public void BadSettingsNameTheSetting(int which, string name)
    {
        var settings = which switch
        {
            0 => new TrainingSettings { LearningRate = 0 },
            1 => new TrainingSettings { BatchSize = 0 },
            2 => new TrainingSettings { ValidationFraction = 1 },
            _ => new TrainingSettings { NumberOfEpochs = 0 },
        };
        var error = Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(Spec(TaskKind.Binary, 0), Rings(10, 1), settings));
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConstantInitializationKeepsEveryUnitIdentical()
    {
        // The classic symmetry argument: with equal weights every unit of a layer computes the same function
        // and receives the same gradient, so the units never become different.
        var spec = new NetworkSpec
        {
            InputSize = 2,
            Task = TaskKind.Multiclass,
            ClassCount = 2,
            HiddenLayers = [new HiddenLayerSpec(6, Activation.Tanh, Normalization.None, 0f)],
            WeightInitializer = WeightInitializer.Constant,
            WeightInitializerValue = 0.3f,
        };
        var result = NetworkTrainer.Train(spec, Rings(200, 1), new TrainingSettings { NumberOfEpochs = 5, BatchSize = 16, Seed = 1, LearningRate = 1e-2f });
        var state = result.Network.GetStateDictionary();
        var w = state["layers.0.weight"];
        var b = state["layers.0.bias"];
        Assert.NotEqual(0.3f, w[0]);
        for (var unit = 1; unit < 6; unit++)
        {
            Assert.Equal(w[0], w[unit * 2]);
            Assert.Equal(w[1], w[(unit * 2) + 1]);
            Assert.Equal(b[0], b[unit]);
        }
    }

    [Fact]
    public void BatchNormSurvivesTrainingBatchesOfOneRow()
    {
        var data = Rings(33, 1);
        var result = NetworkTrainer.Train(Spec(TaskKind.Multiclass, 2, Normalization.BatchNorm), data, new TrainingSettings { NumberOfEpochs = 2, BatchSize = 1, ValidationFraction = 0, Seed = 1 });
        Assert.True(System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<float>(result.Network.Parameters));
        Assert.True(System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<float>(result.Network.Buffers));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TrainingStepsAllocateNothingAfterWarmUp(int threads)
    {
        var spec = new NetworkSpec
        {
            InputSize = 20,
            Task = TaskKind.Multiclass,
            ClassCount = 5,
            InputDropoutRate = 0.1f,
            HiddenLayers =
            [
                new HiddenLayerSpec(64, Activation.PReLU, Normalization.BatchNorm, 0.2f),
                new HiddenLayerSpec(32, Activation.SELU, Normalization.LayerNorm, 0.1f),
                new HiddenLayerSpec(16, Activation.GELU, Normalization.None, 0f),
            ],
        };
        var network = SequentialNetwork.Create(spec, 1);
        const int Batch = 64;
        network.Allocate(Batch);
        var context = new LayerContext(new RandomGenerator(1), threads) { Training = true };
        var loss = NetworkTrainer.CreateLoss(spec, 0);
        var optimizer = OptimizerFactory.Create(Optimizer.Adam, new OptimizerOptions { WeightDecay = 1e-4f }, network.Parameters.Length, network.DecayedRanges());
        var x = new float[Batch * 20];
        var labels = new float[Batch];
        var random = new RandomGenerator(2);
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)random.NextGaussian();
        }

        for (var i = 0; i < Batch; i++)
        {
            labels[i] = i % 5;
        }

        var gradient = new float[Batch * 5];
        void Step()
        {
            network.ZeroGradients();
            var output = network.Forward(x, Batch, context);
            loss.LossAndGradient(output, labels, ReadOnlySpan<float>.Empty, Batch, gradient);
            network.Backward(gradient, Batch, context);
            GradientClipping.ClipByGlobalNorm(network.Gradients, 1f);
            optimizer.Step(network.Parameters, network.Gradients, 1e-3f);
        }

        for (var i = 0; i < 20; i++)
        {
            Step();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            Step();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void CancellationIsCheckedBeforeTrainingAndBeforeEveryBatch()
    {
        // 200 rows in batches of 16: 13 batches an epoch, no validation rows; one check before training and one in each
        // of the two standardization passes (one per 4096 rows).
        var checks = 0;
        var settings = new TrainingSettings { NumberOfEpochs = 3, BatchSize = 16, ValidationFraction = 0, Seed = 1, CheckCancellation = () => checks++ };

        NetworkTrainer.Train(Spec(TaskKind.Binary, 0), Rings(200, 1), settings);

        Assert.Equal(1 + 2 + (3 * 13), checks);
    }

    [Fact]
    public void ACheckThatThrowsStopsTrainingWithinOneBatch()
    {
        // The 20th check comes before the 4th batch of epoch 2 (1 before training, 2 in the standardization passes, 13 in epoch 1).
        var checks = 0;
        var epochs = new List<TrainingEpoch>();
        var settings = new TrainingSettings
        {
            NumberOfEpochs = 1000,
            BatchSize = 16,
            ValidationFraction = 0,
            Seed = 1,
            CheckCancellation = () =>
            {
                if (++checks == 20)
                {
                    throw new OperationCanceledException("stopped by the host");
                }
            },
        };

        var error = Assert.Throws<OperationCanceledException>(() => NetworkTrainer.Train(Spec(TaskKind.Binary, 0), Rings(200, 1), settings, epochs.Add));

        Assert.Equal("stopped by the host", error.Message);
        Assert.Equal(20, checks);
        Assert.Equal([1], epochs.Select(e => e.Epoch));
    }

    [Fact]
    public void CancellingTheTokenStopsTrainingAndACancelledTokenStopsItBeforeItStarts()
    {
        using var cancellation = new CancellationTokenSource();
        var epochs = new List<int>();
        var settings = new TrainingSettings { NumberOfEpochs = 1000, BatchSize = 16, ValidationFraction = 0.2f, EarlyStoppingPatience = 0, Seed = 1, CancellationToken = cancellation.Token };

        var error = Assert.ThrowsAny<OperationCanceledException>(() => NetworkTrainer.Train(Spec(TaskKind.Multiclass, 3), Rings(200, 1, 3), settings, e =>
        {
            epochs.Add(e.Epoch);
            if (e.Epoch == 2)
            {
                cancellation.Cancel();
            }
        }));
        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.Equal([1, 2], epochs);

        epochs.Clear();
        Assert.ThrowsAny<OperationCanceledException>(() => NetworkTrainer.Train(Spec(TaskKind.Multiclass, 3), Rings(200, 1, 3), settings, e => epochs.Add(e.Epoch)));
        Assert.Empty(epochs);
    }

    [Fact]
    public void EveryEpochIsReportedAsItEndsWithTheRecordTheHistoryKeeps()
    {
        var reported = new List<TrainingEpoch>();
        var settings = new TrainingSettings { NumberOfEpochs = 200, BatchSize = 16, ValidationFraction = 0.3f, EarlyStoppingPatience = 4, LearningRate = 1e-2f, Seed = 1 };

        var result = NetworkTrainer.Train(Spec(TaskKind.Multiclass, 3), Rings(300, 1, 3), settings, reported.Add);

        Assert.Equal(result.History, reported);
        Assert.Equal(Enumerable.Range(1, reported.Count), reported.Select(e => e.Epoch));
        Assert.All(reported, e => Assert.NotNull(e.ValidationLoss));
    }

    [Fact]
    public void PopulationStatisticsReplaceTheRunningStatistics()
    {
        var data = Rings(257, 3);
        var spec = new NetworkSpec { InputSize = 2, Task = TaskKind.Binary, HiddenLayers = [new HiddenLayerSpec(4, Activation.ReLU, Normalization.BatchNorm, 0f)] };
        var settings = new TrainingSettings { NumberOfEpochs = 2, BatchSize = 16, ValidationFraction = 0, Seed = 3, UsePopulationStatistics = true };
        var network = NetworkTrainer.Train(spec, data, settings).Network;

        // The population statistics are the exact mean and unbiased variance of the first dense layer's
        // output (on standardized input) over all training rows.
        var state = network.GetStateDictionary();
        var w = state["layers.0.weight"];
        var mean = state["input.mean"];
        var scale = state["input.scale"];
        var z = new double[data.Rows, 4];
        for (var r = 0; r < data.Rows; r++)
        {
            for (var u = 0; u < 4; u++)
            {
                z[r, u] = (((data.Features[2 * r] - mean[0]) * scale[0]) * w[2 * u]) + (((data.Features[(2 * r) + 1] - mean[1]) * scale[1]) * w[(2 * u) + 1]);
            }
        }

        for (var u = 0; u < 4; u++)
        {
            var m = Enumerable.Range(0, data.Rows).Average(r => z[r, u]);
            var v = Enumerable.Range(0, data.Rows).Sum(r => (z[r, u] - m) * (z[r, u] - m)) / (data.Rows - 1);
            Assert.Equal(m, state["layers.0.running_mean"][u], 4);
            Assert.Equal(v, state["layers.0.running_var"][u], 3);
        }
    }
    [Theory]
    [InlineData(1, 32)]
    [InlineData(318, 32)]
    [InlineData(1_300, 32)]
    [InlineData(5_000, 64)]
    [InlineData(10_000, 128)]
    [InlineData(14_400, 256)]
    [InlineData(60_000, 256)]
    public void AutomaticBatchSizeGrowsWithTheData(int rows, int expected)
        => Assert.Equal(expected, TrainingSettings.AutomaticBatchSize(rows));
}
