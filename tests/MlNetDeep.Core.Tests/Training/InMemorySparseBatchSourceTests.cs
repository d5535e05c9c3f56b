using MlNetDeep.Compute;
using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Training;

public class InMemorySparseBatchSourceTests
{
    /// <summary>Row r has r mod 4 non-zeros: r + 1 at columns 0, 2, 4 … (and labels r mod classes), in both forms.</summary>
    private static (TrainingData Dense, SparseTrainingData Sparse) Data(int rows, int classes, bool weights = false)
    {
        const int columns = 8;
        var dense = new float[rows * columns];
        var values = new List<float>();
        var indices = new List<int>();
        var rowStarts = new int[rows + 1];
        var labels = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            for (var j = 0; j < r % 4; j++)
            {
                dense[(r * columns) + (2 * j)] = r + 1;
                values.Add(r + 1);
                indices.Add(2 * j);
            }

            rowStarts[r + 1] = values.Count;
            labels[r] = classes == 0 ? r : r % classes;
        }

        float[]? rowWeights = weights ? [.. Enumerable.Range(0, rows).Select(r => 1f + r)] : null;
        return (new TrainingData(dense, rows, columns, labels, rowWeights), new SparseTrainingData([.. values], [.. indices], rowStarts, rows, columns, labels, rowWeights));
    }

    [Theory]
    [InlineData(TaskKind.Multiclass, 3)]
    [InlineData(TaskKind.Regression, 0)]
    public void SplitsShufflesAndReadsTheRowsOfTheDenseSourceInTheSameOrder(TaskKind task, int classes)
    {
        var (dense, sparse) = Data(60, classes, weights: true);
        var denseSource = new InMemoryBatchSource(dense);
        var sparseSource = new InMemorySparseBatchSource(sparse);
        var (denseRandom, sparseRandom) = (new RandomGenerator(4), new RandomGenerator(4));
        denseSource.Split(task, 0.25f, denseRandom);
        sparseSource.Split(task, 0.25f, sparseRandom);
        denseSource.Shuffle(denseRandom);
        sparseSource.Shuffle(sparseRandom);

        foreach (var set in new[] { RowSet.Training, RowSet.Validation })
        {
            var count = denseSource.Count(set);
            Assert.Equal(count, sparseSource.Count(set));
            var (expected, expectedLabels, expectedWeights) = (new float[count * 8], new float[count], new float[count]);
            denseSource.Read(set, 0, count, expected, expectedLabels, expectedWeights);

            var (densified, labels, weights) = (new float[count * 8], new float[count], new float[count]);
            sparseSource.Read(set, 0, count, densified, labels, weights);
            Assert.Equal(expected, densified);
            Assert.Equal(expectedLabels, labels);
            Assert.Equal(expectedWeights, weights);

            var values = new float[sparseSource.MaxNonZeros(count)];
            var indices = new int[values.Length];
            var rowStarts = new int[count + 1];
            sparseSource.ReadSparse(set, 0, count, values, indices, rowStarts, labels, weights);
            Assert.Equal(expectedLabels, labels);
            for (var i = 0; i < count; i++)
            {
                var row = expected[(i * 8)..((i + 1) * 8)];
                var nonZeros = Enumerable.Range(0, 8).Where(c => row[c] != 0).ToArray();
                Assert.Equal(nonZeros, indices[rowStarts[i]..rowStarts[i + 1]]);
                Assert.Equal(nonZeros.Select(c => row[c]), values[rowStarts[i]..rowStarts[i + 1]]);
            }
        }
    }

    [Fact]
    public void MaxNonZerosIsTheMostAnyRowsHoldTogether()
    {
        var source = new InMemorySparseBatchSource(Data(10, 2).Sparse);

        // Rows hold 0, 1, 2, 3, 0, 1, 2, 3, 0, 1 non-zeros.
        Assert.Equal(0, source.MaxNonZeros(0));
        Assert.Equal(3, source.MaxNonZeros(1));
        Assert.Equal(6, source.MaxNonZeros(2));
        Assert.Equal(11, source.MaxNonZeros(5));
        Assert.Equal(13, source.MaxNonZeros(100));
    }

    [Fact]
    public void TheSampleIsTheDenseSourcesSample()
    {
        var (dense, sparse) = Data(10, 2);
        var expected = new float[4 * 8];
        new InMemoryBatchSource(dense).ReadSample(4, expected, new float[4], []);
        var source = new InMemorySparseBatchSource(sparse);
        var values = new float[source.MaxNonZeros(4)];
        var indices = new int[values.Length];
        var rowStarts = new int[5];

        source.ReadSampleSparse(4, values, indices, rowStarts, new float[4], []);

        var densified = new float[4 * 8];
        for (var i = 0; i < 4; i++)
        {
            for (var p = rowStarts[i]; p < rowStarts[i + 1]; p++)
            {
                densified[(i * 8) + indices[p]] = values[p];
            }
        }

        Assert.Equal(expected, densified);
    }
}
