using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Compute;
using MlNetDeep.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Tests.Data;

/// <summary>
/// The streamed split against the in-memory one on the same rows: the same number of training and validation rows,
/// per class for classification, and every row in exactly one of the two sets.
/// </summary>
public class StreamingBatchSourceTests
{
    private readonly MLContext _mlContext = new(seed: 1);

    private sealed class IndexedRow
    {
        public float Class { get; set; }

        [VectorType(2)]
        public float[] Features { get; set; } = [];
    }

    /// <summary>Rows whose first feature is their index, in classes of the given sizes interleaved.</summary>
    private IDataView Rows(TaskKind task, params int[] classSizes)
    {
        var rows = new List<IndexedRow>();
        var left = (int[])classSizes.Clone();
        while (left.Any(n => n > 0))
        {
            for (var c = 0; c < left.Length; c++)
            {
                if (left[c]-- > 0)
                {
                    rows.Add(new IndexedRow { Class = c, Features = [rows.Count, c] });
                }
            }
        }

        var data = _mlContext.Data.LoadFromEnumerable(rows);
        return task == TaskKind.Multiclass
            ? _mlContext.Transforms.Conversion.MapValueToKey("Label", nameof(IndexedRow.Class)).Fit(data).Transform(data)
            : _mlContext.Transforms.CopyColumns("Label", nameof(IndexedRow.Class)).Fit(data).Transform(data);
    }

    private static (int[] Training, int[] Validation, Dictionary<float, int> ValidationPerClass) Split(IBatchSource source, TaskKind task, float fraction)
    {
        source.Split(task, fraction, new RandomGenerator(3));
        source.Shuffle(new RandomGenerator(4));
        return (Indices(source, RowSet.Training).Select(r => (int)r.Features[0]).ToArray(),
            Indices(source, RowSet.Validation).Select(r => (int)r.Features[0]).ToArray(),
            Indices(source, RowSet.Validation).GroupBy(r => r.Label).ToDictionary(g => g.Key, g => g.Count()));
    }

    private static List<(float[] Features, float Label)> Indices(IBatchSource source, RowSet set)
    {
        var rows = source.Count(set);
        var features = new float[rows * source.Columns];
        var labels = new float[rows];
        source.Read(set, 0, rows, features, labels, []);
        return [.. Enumerable.Range(0, rows).Select(i => (features[(i * source.Columns)..((i + 1) * source.Columns)], labels[i]))];
    }

    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.2f)]
    [InlineData(0.5f)]
    public void StreamingHoldsOutAsManyRowsPerClassAsInMemoryAndEveryRowOnce(float fraction)
    {
        var data = Rows(TaskKind.Multiclass, 100, 50, 7, 1);
        var columns = TrainingColumns.Find(data.Schema, "Features", "Label", TaskKind.Multiclass, null);

        var inMemory = Split(new InMemoryBatchSource(TrainingDataReader.Read(data, "Features", "Label", TaskKind.Multiclass).Data), TaskKind.Multiclass, fraction);
        var streamed = Split(new StreamingBatchSource(data, columns, shuffleBufferRows: 16, maxValidationRows: 1000), TaskKind.Multiclass, fraction);

        Assert.Equal(inMemory.Training.Length, streamed.Training.Length);
        Assert.Equal(inMemory.ValidationPerClass.OrderBy(c => c.Key), streamed.ValidationPerClass.OrderBy(c => c.Key));
        Assert.Equal(Enumerable.Range(0, 158), streamed.Training.Concat(streamed.Validation).Order());
    }

    [Fact]
    public void StreamingHoldsOutAsManyRegressionRowsAsInMemory()
    {
        var data = Rows(TaskKind.Regression, 97, 60);
        var columns = TrainingColumns.Find(data.Schema, "Features", "Label", TaskKind.Regression, null);

        var inMemory = Split(new InMemoryBatchSource(TrainingDataReader.Read(data, "Features", "Label", TaskKind.Regression).Data), TaskKind.Regression, 0.1f);
        var streamed = Split(new StreamingBatchSource(data, columns, shuffleBufferRows: 16, maxValidationRows: 1000), TaskKind.Regression, 0.1f);

        Assert.Equal(16, inMemory.Validation.Length);
        Assert.Equal(inMemory.Validation.Length, streamed.Validation.Length);
        Assert.Equal(Enumerable.Range(0, 157), streamed.Training.Concat(streamed.Validation).Order());
    }

    [Fact]
    public void TheMostValidationRowsScaleEveryClassDownInProportion()
    {
        var data = Rows(TaskKind.Multiclass, 100, 50, 7);
        var columns = TrainingColumns.Find(data.Schema, "Features", "Label", TaskKind.Multiclass, null);

        // Quotas 20, 10 and 1 (31 rows) scaled to at most 10: 6, 3 and 0.
        var streamed = Split(new StreamingBatchSource(data, columns, shuffleBufferRows: 16, maxValidationRows: 10), TaskKind.Multiclass, 0.2f);

        Assert.Equal([6, 3], streamed.ValidationPerClass.OrderBy(c => c.Key).Select(c => c.Value));
        Assert.Equal(148, streamed.Training.Length);
    }

    [Fact]
    public void TheValidationRowsDependOnTheSeedAndAreTheSameForTheSameSeed()
    {
        var data = Rows(TaskKind.Multiclass, 100, 100);
        var columns = TrainingColumns.Find(data.Schema, "Features", "Label", TaskKind.Multiclass, null);
        StreamingBatchSource Source() => new(data, columns, shuffleBufferRows: 16, maxValidationRows: 1000);

        var first = Source();
        first.Split(TaskKind.Multiclass, 0.1f, new RandomGenerator(3));
        var again = Source();
        again.Split(TaskKind.Multiclass, 0.1f, new RandomGenerator(3));
        var other = Source();
        other.Split(TaskKind.Multiclass, 0.1f, new RandomGenerator(5));

        var firstRows = Indices(first, RowSet.Validation).Select(r => r.Features[0]).Order();
        Assert.Equal(firstRows, Indices(again, RowSet.Validation).Select(r => r.Features[0]).Order());
        Assert.NotEqual(firstRows, Indices(other, RowSet.Validation).Select(r => r.Features[0]).Order());
    }
}
