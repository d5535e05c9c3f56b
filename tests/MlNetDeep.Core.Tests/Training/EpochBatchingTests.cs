using MlNetDeep.Compute;
using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Training;

/// <summary>
/// An epoch is ⌈N/B⌉ batches whose sizes differ by at most one row and that cover the N training rows once each, so no
/// batch is a small remainder (a few rows taking a full optimizer step and, through batch norm, a noisy share of the
/// running statistics).
/// </summary>
public class EpochBatchingTests
{
    [Theory]
    [InlineData(108, 16, new[] { 16, 16, 16, 15, 15, 15, 15 })]
    [InlineData(108, 12, new[] { 12, 12, 12, 12, 12, 12, 12, 12, 12 })]
    [InlineData(108, 104, new[] { 54, 54 })]
    [InlineData(108, 500, new[] { 108 })]
    [InlineData(108, 1, null)]
    public void EpochsAreBatchesOfNearEqualSize(int trainingRows, int batchSize, int[]? expected)
    {
        // 120 rows of which a tenth (12, stratified over 3 classes) is held out: 108 training rows.
        var features = Enumerable.Range(0, 480).Select(i => (float)Math.Sin(i * 0.37)).ToArray();
        var targets = Enumerable.Range(0, 120).Select(i => (float)(i % 3)).ToArray();
        var source = new RecordingSource(new InMemoryBatchSource(new TrainingData(features, 120, 4, targets)));
        var spec = new NetworkSpec
        {
            InputSize = 4,
            Task = TaskKind.Multiclass,
            ClassCount = 3,
            HiddenLayers = [new HiddenLayerSpec(8, Activation.ReLU, Normalization.BatchNorm, 0f)],
        };

        NetworkTrainer.Train(spec, source, new TrainingSettings { NumberOfEpochs = 2, BatchSize = batchSize, Seed = 3 });

        Assert.Equal(trainingRows, source.Count(RowSet.Training));
        expected ??= [.. Enumerable.Repeat(1, trainingRows)];
        Assert.Equal([.. expected, .. expected], source.TrainingReads.Select(r => r.Count));
        var starts = source.TrainingReads.Take(expected.Length).Select(r => r.Start).ToArray();
        Assert.Equal(expected.Select((_, i) => expected.Take(i).Sum()), starts);
    }

    private sealed class RecordingSource(IBatchSource inner) : IBatchSource
    {
        private bool _training;

        /// <summary>The training rows read from the first shuffle on (an epoch starts with one; the statistics passes before it read too).</summary>
        public List<(int Start, int Count)> TrainingReads { get; } = [];

        public int Columns => inner.Columns;

        public bool HasWeights => inner.HasWeights;

        public void Split(TaskKind task, float validationFraction, RandomGenerator random) => inner.Split(task, validationFraction, random);

        public int Count(RowSet set) => inner.Count(set);

        public void Shuffle(RandomGenerator random)
        {
            _training = true;
            inner.Shuffle(random);
        }

        public void Read(RowSet set, int start, int count, Span<float> features, Span<float> labels, Span<float> weights)
        {
            if (set == RowSet.Training && _training)
            {
                TrainingReads.Add((start, count));
            }

            inner.Read(set, start, count, features, labels, weights);
        }

        public void ReadSample(int count, Span<float> features, Span<float> labels, Span<float> weights) => inner.ReadSample(count, features, labels, weights);
    }
}
