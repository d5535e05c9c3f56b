using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Training;

public class SparseTrainingDataTests
{
    [Fact]
    public void RowsAreReadByTheirStarts()
    {
        var data = new SparseTrainingData([1f, 2f, 3f], [0, 4, 2], [0, 2, 2, 3], 3, 5, [0f, 1f, 0f]);

        Assert.Equal(3, data.NonZeroCount);
        Assert.Equal([1f, 2f], data.RowValues(0).ToArray());
        Assert.Equal([0, 4], data.RowIndices(0).ToArray());
        Assert.True(data.RowValues(1).IsEmpty);
        Assert.Equal([2], data.RowIndices(2).ToArray());
    }

    [Theory]
    [InlineData(new[] { 1, 2, 3, 3 }, "first row must start at 0")]
    [InlineData(new[] { 0, 2, 1, 3 }, "Row 1 ends before it starts")]
    [InlineData(new[] { 0, 2, 2, 4 }, "3 rows hold 4 non-zeros")]
    public void BadRowStartsAreNamed(int[] rowStarts, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => new SparseTrainingData([1f, 2f, 3f], [0, 1, 2], rowStarts, 3, 5, [0f, 0f, 0f]));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 1, 1, 2 }, "Row 0's column indices must increase within [0, 5). Received: 1 after 1.")]
    [InlineData(new[] { 3, 1, 2 }, "Row 0's column indices must increase within [0, 5). Received: 1 after 3.")]
    [InlineData(new[] { 0, 1, 5 }, "Row 1's column indices must increase within [0, 5). Received: 5 after -1.")]
    public void ColumnsOutOfOrderOrRangeAreNamed(int[] indices, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => new SparseTrainingData([1f, 2f, 3f], indices, [0, 2, 3], 2, 5, [0f, 0f]));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelsAndWeightsMustCoverEveryRow()
    {
        Assert.Contains("2 rows need 2 labels", Assert.Throws<ArgumentException>(() => new SparseTrainingData([1f], [0], [0, 1, 1], 2, 1, [0f])).Message, StringComparison.Ordinal);
        Assert.Contains("2 rows need 2 weights", Assert.Throws<ArgumentException>(() => new SparseTrainingData([1f], [0], [0, 1, 1], 2, 1, [0f, 1f], [1f])).Message, StringComparison.Ordinal);
    }
}
