using MlNetDeep.Compute;
using MlNetDeep.Diagnostics;
using MlNetDeep.GradientOptimizers;
using MlNetDeep.Layers;
using MlNetDeep.Tests.TestUtilities;
using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Training;

/// <summary>Training on sparse rows (<see cref="SparseTrainingData"/>, <see cref="ISparseBatchSource"/>) against the same rows dense.</summary>
public class SparseTrainingTests
{
    private const int Columns = 60;

    /// <summary>
    /// Rows with about <paramref name="density"/> of their 60 features non-zero (counts 1–3, as a bag of words); the label
    /// is which of three feature groups holds the most (regression: a weighted sum). Returned dense and sparse, with weights.
    /// </summary>
    private static (TrainingData Dense, SparseTrainingData Sparse) BagOfWords(int rows, TaskKind task, long seed, double density = 0.1)
    {
        var random = new RandomGenerator(seed);
        var dense = new float[rows * Columns];
        var values = new List<float>();
        var indices = new List<int>();
        var rowStarts = new int[rows + 1];
        var labels = new float[rows];
        var weights = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            var groups = new double[3];
            for (var c = 0; c < Columns; c++)
            {
                if (random.NextDouble() < density)
                {
                    var count = 1 + random.NextInt(3);
                    dense[(r * Columns) + c] = count;
                    values.Add(count);
                    indices.Add(c);
                    groups[c % 3] += count * (1 + (c % 5));
                }
            }

            rowStarts[r + 1] = values.Count;
            labels[r] = task == TaskKind.Regression ? (float)(groups[0] - groups[1] + 100) : Array.IndexOf(groups, groups.Max());
            weights[r] = 0.5f + (r % 3);
        }

        return (new TrainingData(dense, rows, Columns, labels, weights), new SparseTrainingData([.. values], [.. indices], rowStarts, rows, Columns, labels, weights));
    }

    private static NetworkSpec Spec(TaskKind task, InputTransform transform = InputTransform.MaxAbs) => new()
    {
        InputSize = Columns,
        Task = task,
        ClassCount = task == TaskKind.Multiclass ? 3 : 0,
        InputTransform = transform,
        HiddenLayers =
        [
            new HiddenLayerSpec(16, Activation.ReLU, Normalization.BatchNorm, 0.1f),
            new HiddenLayerSpec(8, Activation.Tanh, Normalization.LayerNorm, 0f),
        ],
    };

    private static float[] Score(SequentialNetwork network, TrainingData data)
    {
        var output = new float[data.Rows * network.Spec.OutputSize];
        network.CreateScorer(maxBatch: 64).Score(data.Features, output, data.Rows);
        return output;
    }

    private static float[] Score(SequentialNetwork network, SparseTrainingData data)
    {
        var output = new float[data.Rows * network.Spec.OutputSize];
        network.CreateScorer(maxBatch: 64).Score(data.Values, data.Indices, data.RowStarts, output, data.Rows);
        return output;
    }

    [Theory]
    [InlineData(TaskKind.Multiclass)]
    [InlineData(TaskKind.Binary)]
    [InlineData(TaskKind.Regression)]
    public void SparseRowsTrainTheModelOfTheSameRowsDenseWithTheSameScaling(TaskKind task)
    {
        var (dense, sparse) = BagOfWords(240, task, seed: 5);
        if (task == TaskKind.Binary)
        {
            for (var r = 0; r < dense.Rows; r++)
            {
                dense.Labels[r] = dense.Labels[r] == 0 ? 0 : 1;
            }
        }

        var settings = new TrainingSettings
        {
            NumberOfEpochs = 6,
            BatchSize = 32,
            ValidationFraction = 0.2f,
            EarlyStoppingPatience = 0,
            UsePopulationStatistics = true,
            Diagnostics = new DiagnosticsSettings(),
            Threads = 2,
            Seed = 7,
        };

        var fromDense = NetworkTrainer.Train(Spec(task), dense, settings);
        var fromSparse = NetworkTrainer.Train(Spec(task), sparse, settings);

        Assert.Equal(fromDense.History.Count, fromSparse.History.Count);
        for (var e = 0; e < fromDense.History.Count; e++)
        {
            AssertClose.Scalar(fromDense.History[e].TrainingLoss, fromSparse.History[e].TrainingLoss, rtol: 1e-4, what: $"training loss of epoch {e + 1}");
            AssertClose.Scalar(fromDense.History[e].ValidationLoss!.Value, fromSparse.History[e].ValidationLoss!.Value, rtol: 1e-4, what: $"validation loss of epoch {e + 1}");
        }

        var expected = fromDense.Network.GetStateDictionary();
        var actual = fromSparse.Network.GetStateDictionary();
        Assert.Equal(expected.Keys, actual.Keys);
        Assert.Equal(expected["input.scale"], actual["input.scale"]);
        Assert.All(actual["input.mean"], m => Assert.Equal(0f, m));
        foreach (var (name, values) in expected)
        {
            AssertClose.All(values, actual[name], rtol: 1e-3, atol: 1e-4, what: name);
        }

        Assert.Equal(fromDense.Diagnostics!.Epochs.Count, fromSparse.Diagnostics!.Epochs.Count);
        AssertClose.All(Score(fromDense.Network, dense), Score(fromSparse.Network, sparse), rtol: 1e-3, atol: 1e-4, what: "scores");
    }

    [Fact]
    public void StandardizingSparseRowsDividesByTheStandardDeviationAndSubtractsNothing()
    {
        var (dense, sparse) = BagOfWords(100, TaskKind.Multiclass, seed: 2);
        var settings = new TrainingSettings { NumberOfEpochs = 1, ValidationFraction = 0, Seed = 1 };

        var network = NetworkTrainer.Train(Spec(TaskKind.Multiclass, InputTransform.Standardize), sparse, settings).Network;

        var state = network.GetStateDictionary();
        for (var c = 0; c < Columns; c++)
        {
            var column = Enumerable.Range(0, dense.Rows).Select(r => (double)dense.Features[(r * Columns) + c]).ToArray();
            var mean = column.Average();
            var std = Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / column.Length);
            Assert.Equal(0f, state["input.mean"][c]);
            AssertClose.Scalar(std > 1e-12 ? 1 / std : 1, state["input.scale"][c], rtol: 1e-5, what: $"scale of feature {c}");
        }
    }

    [Fact]
    public void SpecsThatDoNotStartWithTheirFirstDenseLayerAreRefusedByName()
    {
        var (_, sparse) = BagOfWords(50, TaskKind.Multiclass, seed: 1);
        var spec = new NetworkSpec
        {
            InputSize = Columns,
            Task = TaskKind.Multiclass,
            ClassCount = 3,
            HiddenLayers = [new HiddenLayerSpec(4, Activation.ReLU, Normalization.None, 0f)],
            InputTransform = InputTransform.Quantile,
            EnsembleSize = 2,
            InputDropoutRate = 0.1f,
        };

        var error = Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(spec, sparse, new TrainingSettings { NumberOfEpochs = 1 }));

        Assert.Contains("InputTransform Standardize or MaxAbs, NumericEmbedding None, EnsembleSize 1 and InputDropoutRate 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("Received: InputTransform=Quantile, EnsembleSize=2, InputDropoutRate=0.1.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(InputTransform.Standardize, 0f, 0.04)]
    [InlineData(InputTransform.Standardize, 0f, 0.2)]
    [InlineData(InputTransform.RobustSmoothClip, 0f, 0.04)]
    [InlineData(InputTransform.Standardize, 0.1f, 0.04)]
    public void AnyNetworkScoresSparseRowsAsTheSameRowsDense(InputTransform transform, float inputDropout, double density)
    {
        // Trained dense: standardization with a mean folded into the first layer, a transform layer, input dropout.
        var (dense, sparse) = BagOfWords(120, TaskKind.Multiclass, seed: 3, density);
        var spec = new NetworkSpec
        {
            InputSize = Columns,
            Task = TaskKind.Multiclass,
            ClassCount = 3,
            InputTransform = transform,
            InputDropoutRate = inputDropout,
            HiddenLayers = [new HiddenLayerSpec(8, Activation.ReLU, Normalization.BatchNorm, 0f)],
        };
        var network = NetworkTrainer.Train(spec, dense, new TrainingSettings { NumberOfEpochs = 3, Seed = 2 }).Network;

        var expected = Score(network, dense);
        var actual = Score(network, sparse);

        if (transform == InputTransform.Standardize && inputDropout == 0 && density <= TrainingDefaults.MaxSparseDensity)
        {
            // The product adds only the non-zeros' terms, in another order.
            AssertClose.All(expected, actual, rtol: 1e-5, atol: 1e-6, what: "scores");
            Assert.NotEqual(expected, actual);
        }
        else
        {
            // The rows are densified, then scored as dense rows are.
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void BadSparseRowsAreRefusedWhenScored()
    {
        var (dense, _) = BagOfWords(40, TaskKind.Multiclass, seed: 3);
        var scorer = NetworkTrainer.Train(Spec(TaskKind.Multiclass), dense, new TrainingSettings { NumberOfEpochs = 1 }).Network.CreateScorer();
        var output = new float[3];

        Assert.Contains("Received: 60 after 2", Assert.Throws<ArgumentException>(() => scorer.Score([1f, 1f], [2, 60], [0, 2], output, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("Received: 2 after 2", Assert.Throws<ArgumentException>(() => scorer.Score([1f, 1f], [2, 2], [0, 2], output, 1)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => scorer.Score([1f], [2], [0, 2], output, 1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void SparseTrainingStepsAllocateNothingAfterWarmUp(int threads)
    {
        var (_, sparse) = BagOfWords(64, TaskKind.Multiclass, seed: 4);
        var spec = Spec(TaskKind.Multiclass);
        var network = SequentialNetwork.Create(spec, 1);
        network.Allocate(64, sparse.NonZeroCount);
        var context = new LayerContext(new RandomGenerator(1), threads) { Training = true, AccumulateGradients = false };
        var loss = NetworkTrainer.CreateLoss(spec, 0);
        var optimizer = OptimizerFactory.Create(Optimizer.Adam, new OptimizerOptions(), network.Parameters.Length, network.DecayedRanges());
        var gradient = new float[64 * 3];
        void Step()
        {
            var output = network.Forward(new InputRows(sparse.Values, sparse.Indices, sparse.RowStarts), 64, context);
            loss.LossAndGradient(output, sparse.Labels, ReadOnlySpan<float>.Empty, 64, gradient);
            network.Backward(gradient, 64, context);
            optimizer.Step(network.Parameters, network.Gradients, 1e-3f);
        }

        Assert.Equal(0, Allocations.Steady(() =>
        {
            for (var i = 0; i < 10; i++)
            {
                Step();
            }
        }));
    }
}
