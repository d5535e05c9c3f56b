using MlNetDeep.Diagnostics;
using MlNetDeep.Layers;
using MlNetDeep.Serialization;
using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Training;

/// <summary>
/// The engine used the way a program without ML.NET uses it: only public types and members of MlNetDeep.Core, from the
/// spec to training, scoring, embeddings, Monte Carlo dropout and a save/load round trip; and the list of public types,
/// so the public surface changes only on purpose.
/// </summary>
public class PublicEngineApiTests
{
    private const int Rows = 400;
    private const int Columns = 3;

    /// <summary>Two Gaussian blobs: label 1 when x0 + x1 > 0 (x2 is noise), so a linear boundary separates them.</summary>
    private static TrainingData SeparableData(int seed)
    {
        var random = new Random(seed);
        var features = new float[Rows * Columns];
        var labels = new float[Rows];
        for (var i = 0; i < Rows; i++)
        {
            for (var j = 0; j < Columns; j++)
            {
                features[(i * Columns) + j] = (float)((random.NextDouble() * 4) - 2);
            }

            labels[i] = features[i * Columns] + features[(i * Columns) + 1] > 0 ? 1f : 0f;
        }

        return new TrainingData(features, Rows, Columns, labels);
    }

    private static NetworkSpec BinarySpec() => new()
    {
        InputSize = Columns,
        Task = TaskKind.Binary,
        HiddenLayers =
        [
            new HiddenLayerSpec(16, Activation.ReLU, Normalization.BatchNorm, 0.1f),
            new HiddenLayerSpec(8, Activation.Tanh, Normalization.None, 0f),
        ],
    };

    [Fact]
    public void TrainScoreSaveAndLoadThroughThePublicSurface()
    {
        var data = SeparableData(seed: 7);
        var epochs = new List<TrainingEpoch>();
        var settings = new TrainingSettings
        {
            NumberOfEpochs = 30,
            BatchSize = 32,
            LearningRate = 0.01f,
            Seed = 3,
            Schedule = new CosineAnnealingSchedule(0.01, totalEpochs: 30),
            Diagnostics = new DiagnosticsSettings { SampledBatchesPerEpoch = 2 },
        };

        var result = NetworkTrainer.Train(BinarySpec(), data, settings, epochs.Add);

        Assert.Equal(epochs, result.History);
        Assert.InRange(result.History.Count, 1, 30);
        Assert.InRange(result.BestEpoch, 1, result.History.Count);
        Assert.NotNull(result.Diagnostics);
        Assert.Equal(2, result.Diagnostics!.ForEpoch(1).Count);

        var network = result.Network;
        Assert.Equal(TaskKind.Binary, network.Spec.Task);
        var state = network.GetStateDictionary();
        Assert.Equal(16 * Columns, state["layers.0.weight"].Length);
        Assert.Equal(Columns, state["input.mean"].Length);

        // The state dictionary is a copy: writing it leaves the network unchanged.
        var scorer = network.CreateScorer(maxBatch: 64);
        var before = Score(scorer, data);
        Array.Fill(state["layers.0.weight"], 0f);
        Assert.Equal(before, Score(network.CreateScorer(maxBatch: 64), data));

        // Binary scores are logits: a positive logit predicts class 1.
        var correct = 0;
        for (var i = 0; i < Rows; i++)
        {
            correct += (before[i] > 0) == (data.Labels[i] == 1f) ? 1 : 0;
        }

        Assert.True(correct >= 0.95 * Rows, $"Training accuracy {correct}/{Rows} on separable data is below 95%.");

        byte[] bytes;
        using (var stream = new MemoryStream())
        {
            NetworkSerializer.Write(stream, network);
            bytes = stream.ToArray();
        }

        var loaded = NetworkSerializer.Read(new MemoryStream(bytes));
        Assert.Equal(network.Spec.HiddenLayers, loaded.Spec.HiddenLayers);
        var loadedScores = Score(loaded.CreateScorer(maxBatch: 7), data);
        Assert.Equal(before.Select(BitConverter.SingleToInt32Bits), loadedScores.Select(BitConverter.SingleToInt32Bits));
        foreach (var (name, values) in network.GetStateDictionary())
        {
            Assert.Equal(values, loaded.GetStateDictionary()[name]);
        }

        // Embeddings: the last hidden block is tanh, so every value lies in [-1, 1].
        var loadedScorer = loaded.CreateScorer();
        Assert.Equal(2, loadedScorer.HiddenBlockCount);
        Assert.Equal(8, loadedScorer.EmbeddingSize());
        var embedding = new float[Rows * 8];
        loadedScorer.Embed(data.Features, embedding, Rows);
        Assert.All(embedding, v => Assert.InRange(v, -1f, 1f));
        Assert.Contains(embedding, v => v != 0f);

        // Monte Carlo dropout: the same seed gives the same bits; the uncertainty is a standard deviation of probabilities.
        var mean = new float[Rows];
        var uncertainty = new float[Rows];
        loadedScorer.ScoreMonteCarlo(data.Features, mean, uncertainty, Rows, passes: 8, seed: 5);
        var again = new float[Rows];
        loadedScorer.ScoreMonteCarlo(data.Features, again, new float[Rows], Rows, passes: 8, seed: 5);
        Assert.Equal(mean, again);
        Assert.All(uncertainty, u => Assert.InRange(u, 0f, 0.5f));
        Assert.Contains(uncertainty, u => u > 0f);
    }

    [Fact]
    public void ValidationErrorsSayWhatWasReceived()
    {
        var data = SeparableData(seed: 1);
        var spec = new NetworkSpec { InputSize = Columns, Task = TaskKind.Multiclass, ClassCount = 1, HiddenLayers = [] };
        Assert.Contains("Received: ClassCount=1", Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(spec, data, new TrainingSettings())).Message);
        Assert.Contains("Received: NumberOfEpochs=0", Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(BinarySpec(), data, new TrainingSettings { NumberOfEpochs = 0 })).Message);
        Assert.Contains("Received: passes=0", Assert.Throws<ArgumentOutOfRangeException>(
            () => NetworkTrainer.Train(BinarySpec(), data, new TrainingSettings { NumberOfEpochs = 1 }).Network.CreateScorer()
                .ScoreMonteCarlo(data.Features, new float[Rows], new float[Rows], Rows, passes: 0, seed: 0)).Message);
    }

    /// <summary>The public types of MlNetDeep.Core. A change here is a change of the package's public API: make it on purpose.</summary>
    [Fact]
    public void PublicTypesAreTheDeliberateSurface()
    {
        string[] expected =
        [
            "MlNetDeep.Activation",
            "MlNetDeep.Compute.RandomGenerator",
            "MlNetDeep.Diagnostics.DiagnosticsSettings",
            "MlNetDeep.Diagnostics.GradientProblem",
            "MlNetDeep.Diagnostics.GradientWarning",
            "MlNetDeep.Diagnostics.LayerDiagnostics",
            "MlNetDeep.Diagnostics.TrainingDiagnostics",
            "MlNetDeep.Diagnostics.TrainingDiagnostics+Defaults",
            "MlNetDeep.EarlyStoppingMonitor",
            "MlNetDeep.InputTransform",
            "MlNetDeep.Layers.NetworkScorer",
            "MlNetDeep.Layers.SequentialNetwork",
            "MlNetDeep.Normalization",
            "MlNetDeep.NumericEmbedding",
            "MlNetDeep.Optimizer",
            "MlNetDeep.Serialization.NetworkSerializer",
            "MlNetDeep.Training.ConstantSchedule",
            "MlNetDeep.Training.CosineAnnealingSchedule",
            "MlNetDeep.Training.ExponentialDecaySchedule",
            "MlNetDeep.Training.FlatCosineSchedule",
            "MlNetDeep.Training.HiddenLayerSpec",
            "MlNetDeep.Training.IBatchSource",
            "MlNetDeep.Training.InMemoryBatchSource",
            "MlNetDeep.Training.InMemorySparseBatchSource",
            "MlNetDeep.Training.ISparseBatchSource",
            "MlNetDeep.Training.LearningRateScheduler",
            "MlNetDeep.Training.NetworkSpec",
            "MlNetDeep.Training.NetworkTrainer",
            "MlNetDeep.Training.ReduceOnPlateauSchedule",
            "MlNetDeep.Training.RowSet",
            "MlNetDeep.Training.SparseTrainingData",
            "MlNetDeep.Training.StepDecaySchedule",
            "MlNetDeep.Training.TaskKind",
            "MlNetDeep.Training.TrainingData",
            "MlNetDeep.Training.TrainingDefaults",
            "MlNetDeep.Training.TrainingResult",
            "MlNetDeep.Training.TrainingSettings",
            "MlNetDeep.TrainingEpoch",
            "MlNetDeep.WeightInitializer",
        ];

        // The tuner (MlNetDeep.Tuning) is public on its own terms and has its own tests.
        var actual = typeof(NetworkTrainer).Assembly.GetExportedTypes()
            .Select(t => t.FullName!)
            .Where(name => !name.StartsWith("MlNetDeep.Tuning.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual);
    }

    private static float[] Score(NetworkScorer scorer, TrainingData data)
    {
        var output = new float[data.Rows * scorer.OutputSize];
        scorer.Score(data.Features, output, data.Rows);
        return output;
    }
}
