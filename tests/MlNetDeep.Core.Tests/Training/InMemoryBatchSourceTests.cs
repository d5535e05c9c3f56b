using MlNetDeep.Compute;
using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Training;

public class InMemoryBatchSourceTests
{
    /// <summary>Row r has features (r, −r) and label r mod classes (regression: the label is r itself).</summary>
    private static TrainingData Data(int rows, int classes, bool weights = false)
    {
        var features = new float[rows * 2];
        var labels = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            features[2 * r] = r;
            features[(2 * r) + 1] = -r;
            labels[r] = classes == 0 ? r : r % classes;
        }

        return new TrainingData(features, rows, 2, labels, weights ? [.. Enumerable.Range(0, rows).Select(r => 1f + r)] : null);
    }

    private static int[] RowsOf(IBatchSource source, RowSet set)
    {
        var count = source.Count(set);
        var features = new float[count * 2];
        source.Read(set, 0, count, features, new float[count], []);
        return [.. Enumerable.Range(0, count).Select(i => (int)features[2 * i])];
    }

    [Fact]
    public void TheStratifiedSplitHoldsOutEachClassShareAndKeepsEveryRowOnce()
    {
        var source = new InMemoryBatchSource(Data(100, 4));

        source.Split(TaskKind.Multiclass, 0.2f, new RandomGenerator(3));

        var training = RowsOf(source, RowSet.Training);
        var validation = RowsOf(source, RowSet.Validation);
        Assert.Equal(80, training.Length);
        Assert.Equal(20, validation.Length);
        Assert.Equal(Enumerable.Range(0, 100), training.Concat(validation).Order());
        Assert.All(Enumerable.Range(0, 4), c => Assert.Equal(5, validation.Count(r => r % 4 == c)));
        Assert.Equal(training.Order(), training);
    }

    [Fact]
    public void ASplitWithNothingToHoldOutKeepsEveryRowForTraining()
    {
        var source = new InMemoryBatchSource(Data(10, 2));

        source.Split(TaskKind.Binary, 0f, new RandomGenerator(1));

        Assert.Equal(Enumerable.Range(0, 10), RowsOf(source, RowSet.Training));
        Assert.Equal(0, source.Count(RowSet.Validation));
    }

    [Fact]
    public void TheSameSeedGivesTheSameSplitAndShuffles()
    {
        int[] Run()
        {
            var source = new InMemoryBatchSource(Data(50, 0));
            var random = new RandomGenerator(9);
            source.Split(TaskKind.Regression, 0.3f, random);
            source.Shuffle(random);
            return [.. RowsOf(source, RowSet.Validation), .. RowsOf(source, RowSet.Training)];
        }

        var first = Run();
        Assert.Equal(first, Run());
        Assert.Equal(15, first.Length - 35);
        Assert.NotEqual(Enumerable.Range(0, 50), first);
    }

    [Fact]
    public void ReadCopiesFeaturesLabelsAndWeightsOfTheRequestedPositions()
    {
        var source = new InMemoryBatchSource(Data(6, 3, weights: true));
        var features = new float[4];
        var labels = new float[2];
        var weights = new float[2];

        source.Read(RowSet.Training, 4, 2, features, labels, weights);

        Assert.Equal([4f, -4f, 5f, -5f], features);
        Assert.Equal([1f, 2f], labels);
        Assert.Equal([5f, 6f], weights);
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Read(RowSet.Training, 5, 2, features, labels, weights));
    }

    [Fact]
    public void TheSampleIsStridedThroughTheTrainingRows()
    {
        var source = new InMemoryBatchSource(Data(10, 2));
        var features = new float[8];

        source.ReadSample(4, features, new float[4], []);

        Assert.Equal([0f, 2f, 5f, 7f], [features[0], features[2], features[4], features[6]]);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void TrainingFromAnySourceOfTheSameRowsGivesTheSameNetwork(bool regression, bool populationStatistics)
    {
        var task = regression ? TaskKind.Regression : TaskKind.Multiclass;
        var data = Data(120, task == TaskKind.Regression ? 0 : 3, weights: true);
        var spec = new NetworkSpec
        {
            InputSize = 2,
            Task = task,
            ClassCount = task == TaskKind.Regression ? 0 : 3,
            HiddenLayers = [new HiddenLayerSpec(8, Activation.ReLU, Normalization.BatchNorm, 0.1f)],
        };
        var settings = new TrainingSettings { NumberOfEpochs = 4, BatchSize = 16, ValidationFraction = 0.25f, Seed = 5, UsePopulationStatistics = populationStatistics };
        var recording = new RecordingSource(new InMemoryBatchSource(data));

        var direct = NetworkTrainer.Train(spec, data, settings);
        var throughSource = NetworkTrainer.Train(spec, recording, settings);

        Assert.Equal(direct.Network.Parameters, throughSource.Network.Parameters);
        Assert.Equal(direct.Network.Buffers, throughSource.Network.Buffers);
        Assert.Equal(direct.History.Select(e => e.ValidationLoss), throughSource.History.Select(e => e.ValidationLoss));
        // Every pass reads consecutive batches from position 0 and stays within the set.
        Assert.All(recording.Passes, pass => Assert.True(pass.Contiguous && pass.End <= recording.Inner.Count(pass.Set), $"{pass.Set} pass to {pass.End}"));
        var trainingPasses = recording.Passes.Count(p => p.Set == RowSet.Training && p.End == 90);
        // Two statistics passes, one per epoch, and one more for the population statistics.
        Assert.Equal(2 + 4 + (populationStatistics ? 1 : 0), trainingPasses);
        Assert.Equal(4, recording.Passes.Count(p => p.Set == RowSet.Validation && p.End == 30));
    }

    /// <summary>Delegates to another source and records each pass: the set, how far it read, and whether its reads were consecutive from 0.</summary>
    private sealed class RecordingSource(IBatchSource inner) : IBatchSource
    {
        public IBatchSource Inner { get; } = inner;

        public List<(RowSet Set, int End, bool Contiguous)> Passes { get; } = [];

        public int Columns => Inner.Columns;

        public bool HasWeights => Inner.HasWeights;

        public int Count(RowSet set) => Inner.Count(set);

        public void Split(TaskKind task, float validationFraction, RandomGenerator random) => Inner.Split(task, validationFraction, random);

        public void Shuffle(RandomGenerator random) => Inner.Shuffle(random);

        public void Read(RowSet set, int start, int count, Span<float> features, Span<float> labels, Span<float> weights)
        {
            if (start == 0)
            {
                Passes.Add((set, count, true));
            }
            else
            {
                var last = Passes[^1];
                Passes[^1] = (set, start + count, last.Contiguous && last.Set == set && last.End == start);
            }

            Inner.Read(set, start, count, features, labels, weights);
        }

        public void ReadSample(int count, Span<float> features, Span<float> labels, Span<float> weights) => Inner.ReadSample(count, features, labels, weights);
    }
}
