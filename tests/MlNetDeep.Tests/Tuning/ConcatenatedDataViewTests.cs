using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Tuning;

namespace MlNetDeep.Tests.Tuning;

public class ConcatenatedDataViewTests
{
    [Fact]
    public void RowsOfEverySourceComeInOrder()
    {
        var mlContext = new MLContext(seed: 1);
        var first = mlContext.Data.LoadFromEnumerable(new[] { new Row { X = 1, Name = "a" }, new Row { X = 2, Name = "b" } });
        var empty = mlContext.Data.LoadFromEnumerable(Array.Empty<Row>());
        var second = mlContext.Data.LoadFromEnumerable(new[] { new Row { X = 3, Name = "c" } });

        var view = new ConcatenatedDataView([first, empty, second]);

        Assert.Equal(3, view.GetRowCount());
        Assert.Equal([1f, 2f, 3f], view.GetColumn<float>(nameof(Row.X)).ToArray());
        Assert.Equal(["a", "b", "c"], view.GetColumn<string>(nameof(Row.Name)).ToArray());
    }

    [Fact]
    public void SourcesWithOtherColumnsAreRejected()
    {
        var mlContext = new MLContext(seed: 1);
        var rows = mlContext.Data.LoadFromEnumerable(new[] { new Row() });
        var other = mlContext.Data.LoadFromEnumerable(new[] { new Other() });

        var error = Assert.Throws<ArgumentException>(() => new ConcatenatedDataView([rows, other]));

        Assert.Contains("X: Single", error.Message);
        Assert.Contains("X: Double", error.Message);
    }

    public sealed class Row
    {
        public float X { get; set; }

        public string Name { get; set; } = "";
    }

    public sealed class Other
    {
        public double X { get; set; }

        public string Name { get; set; } = "";
    }
}
