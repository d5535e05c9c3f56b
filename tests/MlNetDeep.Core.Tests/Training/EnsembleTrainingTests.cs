using MlNetDeep.Compute;
using MlNetDeep.Layers;
using MlNetDeep.Serialization;
using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Training;

public class EnsembleTrainingTests
{
    private static (SequentialNetwork Network, float[] Features) Train(TaskKind task, Normalization normalization, int members, NumericEmbedding embedding = NumericEmbedding.None)
    {
        var spec = new NetworkSpec
        {
            InputSize = 3,
            Task = task,
            ClassCount = task == TaskKind.Multiclass ? 3 : 0,
            HiddenLayers = [new HiddenLayerSpec(8, Activation.ReLU, normalization, 0.1f), new HiddenLayerSpec(6, Activation.PReLU, normalization, 0f)],
            EnsembleSize = members,
            NumericEmbedding = embedding,
            EmbeddingDimension = 2,
            EmbeddingFrequencies = 2,
        };
        var random = new RandomGenerator(4);
        var features = Enumerable.Range(0, 600).Select(_ => (float)random.NextGaussian()).ToArray();
        var targets = Enumerable.Range(0, 200).Select(i =>
        {
            var signal = features[3 * i] + (0.5f * features[(3 * i) + 1]);
            return task switch
            {
                TaskKind.Multiclass => signal < -0.5f ? 0f : signal < 0.5f ? 1f : 2f,
                TaskKind.Binary => signal > 0 ? 1f : 0f,
                _ => signal,
            };
        }).ToArray();
        var result = NetworkTrainer.Train(spec, new TrainingData(features, 200, 3, targets), new TrainingSettings { NumberOfEpochs = 6, BatchSize = 32, Seed = 5 });
        return (result.Network, features);
    }

    [Theory]
    [InlineData(TaskKind.Multiclass, Normalization.BatchNorm)]
    [InlineData(TaskKind.Binary, Normalization.LayerNorm)]
    [InlineData(TaskKind.Regression, Normalization.None)]
    public void MembersTrainSaveLoadAndScoreAsTheirMean(TaskKind task, Normalization normalization)
    {
        const int members = 4;
        var (network, features) = Train(task, normalization, members);
        var state = network.GetStateDictionary();
        Assert.Equal(members * 3, state["layers.0.r"].Length);
        Assert.Equal(members * 8, state["layers.0.s"].Length);
        Assert.Equal(network.Spec.OutputSize * members * 6, state["layers.2.weight"].Length);

        // The first layer's input scales start as signs; training moves them, but the members stay different.
        Assert.NotEqual(state["layers.2.weight"].AsSpan(0, 6).ToArray(), state["layers.2.weight"].AsSpan(network.Spec.OutputSize * 6, 6).ToArray());

        using var stream = new MemoryStream();
        NetworkSerializer.Write(stream, network);
        var loaded = NetworkSerializer.Read(new MemoryStream(stream.ToArray()));
        Assert.Equal(members, loaded.Spec.EnsembleSize);

        var rows = 50;
        var outputSize = network.Spec.OutputSize;
        var expected = new float[rows * outputSize];
        var actual = new float[rows * outputSize];
        network.CreateScorer(maxBatch: 16).Score(features, expected, rows);
        loaded.CreateScorer(maxBatch: 16).Score(features, actual, rows);
        Assert.Equal(expected, actual);

        // Scoring with the members' spread gives the same prediction and a spread that is not zero everywhere.
        var withSpread = new float[rows * outputSize];
        var spread = new float[rows];
        loaded.CreateScorer(maxBatch: 16).ScoreMembers(features, withSpread, spread, rows);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], withSpread[i], 5e-5f);
        }

        Assert.All(spread, s => Assert.True(s >= 0 && float.IsFinite(s)));
        Assert.Contains(spread, s => s > 0);
    }

    [Fact]
    public void ScoreIsTheMeanOfTheMembersPredictions()
    {
        var (network, features) = Train(TaskKind.Regression, Normalization.BatchNorm, 3, NumericEmbedding.Periodic);
        var scorer = network.CreateScorer();
        var prediction = new float[10];
        scorer.Score(features, prediction, 10);

        // The members' own outputs, read from the last layer, on the original scale.
        var context = new LayerContext(new RandomGenerator(1)) { Training = false };
        network.Allocate(10);
        var raw = network.Forward(features, 10, context).ToArray();
        for (var r = 0; r < 10; r++)
        {
            var mean = (raw[3 * r] + raw[(3 * r) + 1] + raw[(3 * r) + 2]) / 3;
            Assert.Equal(network.TargetMean + (network.TargetStd * mean), prediction[r], 1e-4f);
        }
    }

    [Fact]
    public void OneMemberIsTheSingleNetwork()
    {
        var (single, features) = Train(TaskKind.Multiclass, Normalization.BatchNorm, 1);
        Assert.DoesNotContain(single.GetStateDictionary().Keys, name => name.EndsWith(".r", StringComparison.Ordinal));
        var spread = new float[20];
        var output = new float[60];
        single.CreateScorer().ScoreMembers(features, output, spread, 20);
        var plain = new float[60];
        single.CreateScorer().Score(features, plain, 20);
        Assert.Equal(plain, output);
    }

    [Fact]
    public void EnsembleSizeOutOfRangeIsRefused()
    {
        var spec = new NetworkSpec { InputSize = 2, Task = TaskKind.Binary, HiddenLayers = [], EnsembleSize = 0 };
        Assert.Contains("EnsembleSize", Assert.Throws<ArgumentException>(spec.Validate).Message);
    }
}
