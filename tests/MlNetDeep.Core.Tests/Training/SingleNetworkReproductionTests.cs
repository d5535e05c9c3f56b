using System.Text.Json;
using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Training;

/// <summary>
/// A single network without input transform or embedding trains to the values the engine gave before those parts and the
/// ensembles existed (<c>Reference/single_network_models.json</c>, for three tasks). The tolerance covers only the rounding
/// of fused multiply-adds at another vector width: a changed layer order, initialization or random stream moves the values
/// by far more.
/// </summary>
/// <remarks>
/// The values were first written by the network format version 1 engine at batch size 16. When epochs became batches of
/// near-equal size, they were written again at batch size 12 by the engine just before that change (which still matched
/// the version 1 values at 16): 12 divides the 108 training rows, so the two batchings are the same rows in the same order.
/// </remarks>
public class SingleNetworkReproductionTests
{
    [Theory]
    [InlineData(TaskKind.Multiclass)]
    [InlineData(TaskKind.Binary)]
    [InlineData(TaskKind.Regression)]
    public void DefaultsOfTheNewPartsReproduceTheSingleNetwork(TaskKind task)
    {
        var pinned = JsonSerializer.Deserialize<Dictionary<string, float[]>>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "single_network_models.json")))!
            .Where(p => p.Key.StartsWith($"{task}/", StringComparison.Ordinal))
            .ToDictionary(p => p.Key[(task.ToString().Length + 1)..], p => p.Value);
        var spec = new NetworkSpec
        {
            InputSize = 4,
            Task = task,
            ClassCount = task == TaskKind.Multiclass ? 3 : 0,
            InputDropoutRate = 0.05f,
            HiddenLayers = [new HiddenLayerSpec(16, Activation.ReLU, Normalization.BatchNorm, 0.1f), new HiddenLayerSpec(8, Activation.PReLU, Normalization.LayerNorm, 0f)],
            EnsembleSize = 1,
            InputTransform = InputTransform.Standardize,
            NumericEmbedding = NumericEmbedding.None,
        };
        var features = Enumerable.Range(0, 480).Select(i => (float)(Math.Sin(i * 0.7) * (1 + (i % 4)) + (i % 4))).ToArray();
        var targets = Enumerable.Range(0, 120).Select(i => task switch
        {
            TaskKind.Multiclass => (float)(i % 3),
            TaskKind.Binary => features[4 * i] > 0 ? 1f : 0f,
            _ => (features[4 * i] * 3) - features[(4 * i) + 2] + 10,
        }).ToArray();
        var settings = new TrainingSettings { NumberOfEpochs = 5, BatchSize = 12, Seed = 11, LabelSmoothing = 0f, Beta1 = 0.9f, Beta2 = 0.999f };

        var state = NetworkTrainer.Train(spec, new TrainingData(features, 120, 4, targets), settings).Network.GetStateDictionary();

        Assert.Equal(pinned.Keys.Order(StringComparer.Ordinal), state.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, expected) in pinned)
        {
            var actual = state[name];
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"{name}[{i}]: expected {expected[i]}, got {actual[i]}.");
            }
        }
    }
}
