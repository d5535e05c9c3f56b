using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Tests.Data;

public class TrainingDataReaderTests
{
    private readonly MLContext _mlContext = new(seed: 1);

    [Fact]
    public void MulticlassReadsDenseRowsClassIndicesSlotNamesAndClassNames()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[]
        {
            new ScalarRow { A = 1f, B = 2f, Text = "dog" },
            new ScalarRow { A = 3f, B = 4f, Text = "cat" },
            new ScalarRow { A = 5f, B = 6f, Text = "dog" },
        });
        var prepared = _mlContext.Transforms.Conversion.MapValueToKey("Label", "Text")
            .Append(_mlContext.Transforms.Concatenate("Features", "A", "B"))
            .Fit(data).Transform(data);

        var read = TrainingDataReader.Read(prepared, "Features", "Label", TaskKind.Multiclass);

        Assert.Equal(3, read.Data.Rows);
        Assert.Equal(2, read.Data.Columns);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], read.Data.Features);
        Assert.Equal([0f, 1f, 0f], read.Data.Labels);
        Assert.Null(read.Data.Weights);
        Assert.Equal(2, read.ClassCount);
        Assert.Equal(0, read.SkippedRowCount);
        Assert.Equal(["A", "B"], read.SlotNames!);
        Assert.Equal(["dog", "cat"], read.ClassNames!);
    }

    [Fact]
    public void MulticlassSkipsAndCountsMissingKeys()
    {
        // Labels outside the key dictionary map to key 0, the missing key.
        var data = _mlContext.Data.LoadFromEnumerable(new[]
        {
            new LabeledRow { Features = [1f, 0f], Text = "dog" },
            new LabeledRow { Features = [2f, 0f], Text = "unknown" },
            new LabeledRow { Features = [3f, 0f], Text = "emu" },
            new LabeledRow { Features = [float.NaN, 0f], Text = "" },
        });
        var keyed = MapToKnownClasses(data);

        var read = TrainingDataReader.Read(keyed, "Features", "Label", TaskKind.Multiclass);

        Assert.Equal(2, read.Data.Rows);
        Assert.Equal(2, read.SkippedRowCount);
        Assert.Equal([1f, 0f, 3f, 0f], read.Data.Features.AsSpan(0, read.Data.Rows * read.Data.Columns).ToArray());
        Assert.Equal([1f, 2f], read.Data.Labels.AsSpan(0, read.Data.Rows).ToArray());
        Assert.Equal(3, read.ClassCount);
        Assert.Equal(["cat", "dog", "emu"], read.ClassNames!);
        Assert.Null(read.SlotNames);
    }

    [Fact]
    public void KeyLabelWithoutKeyValuesHasNoClassNames()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[]
        {
            new KeyRow { Features = [1f, 2f], Label = 2 },
            new KeyRow { Features = [3f, 4f], Label = 0 },
        });

        var read = TrainingDataReader.Read(data, "Features", "Label", TaskKind.Multiclass);

        // LoadFromEnumerable stores a class field value v as key v + 1, so these are classes 2 and 0.
        Assert.Equal([2f, 0f], read.Data.Labels);
        Assert.Equal(3, read.ClassCount);
        Assert.Null(read.ClassNames);
    }

    [Fact]
    public void SparseVectorsAreDensified()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[]
        {
            new SparseRow { Features = new VBuffer<float>(5, 2, [7f, -1f], [1, 4]), Label = 1f },
            new SparseRow { Features = new VBuffer<float>(5, 0, [], []), Label = 2f },
            new SparseRow { Features = new VBuffer<float>(5, [1f, 2f, 3f, 4f, 5f]), Label = 3f },
        });

        var read = TrainingDataReader.Read(data, "Features", "Label", TaskKind.Regression);

        Assert.Equal(5, read.Data.Columns);
        Assert.Equal([0f, 7f, 0f, 0f, -1f, 0f, 0f, 0f, 0f, 0f, 1f, 2f, 3f, 4f, 5f], read.Data.Features);
        Assert.Equal([1f, 2f, 3f], read.Data.Labels);
    }

    [Fact]
    public void ReadSparseKeepsTheNonZerosOfSparseAndDenseVectorsAndSkipsMissingLabels()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[]
        {
            new SparseRow { Features = new VBuffer<float>(5, 3, [7f, 0f, -1f], [1, 2, 4]), Label = 1f },
            new SparseRow { Features = new VBuffer<float>(5, 0, [], []), Label = 2f },
            new SparseRow { Features = new VBuffer<float>(5, 1, [9f], [0]), Label = float.NaN },
            new SparseRow { Features = new VBuffer<float>(5, [1f, 0f, 3f, 0f, 5f]), Label = 3f },
        });
        var columns = TrainingColumns.Find(data.Schema, "Features", "Label", TaskKind.Regression, null);

        var read = TrainingDataReader.ReadSparse(data, columns);

        Assert.Equal(3, read.Data.Rows);
        Assert.Equal(5, read.Data.Columns);
        Assert.Equal([0, 2, 2, 5], read.Data.RowStarts.AsSpan(0, 4).ToArray());
        Assert.Equal([7f, -1f, 1f, 3f, 5f], read.Data.Values.AsSpan(0, 5).ToArray());
        Assert.Equal([1, 4, 0, 2, 4], read.Data.Indices.AsSpan(0, 5).ToArray());
        Assert.Equal([1f, 2f, 3f], read.Data.Labels.AsSpan(0, 3).ToArray());
        Assert.Equal(1, read.SkippedRowCount);
        Assert.Equal(5 / 15.0, read.Density, 12);
        Assert.True(TrainingDataReader.FirstRowIsSparse(data, columns));
        Assert.Equal([0f, 7f, 0f, 0f, -1f, 0f, 0f, 0f, 0f, 0f, 1f, 0f, 3f, 0f, 5f], read.Densify().Data.Features);
    }

    [Fact]
    public void ReadSparseGrowsPastItsFirstGuessAndKeepsWeights()
    {
        var rows = Enumerable.Range(0, 3000).Select(i => new ScalarRow { A = i % 7, B = i, Weight = 1 + (i % 2) }).ToArray();
        var data = _mlContext.Data.LoadFromEnumerable(rows.Where(_ => true));
        var columns = TrainingColumns.Find(data.Schema, "A", "B", TaskKind.Regression, "Weight");

        var read = TrainingDataReader.ReadSparse(data, columns);

        Assert.Equal(3000, read.Data.Rows);
        Assert.Equal(3000 - 429, read.Data.NonZeroCount);
        Assert.Equal(2999f, read.Data.Labels[2999]);
        Assert.Equal(2f, read.Data.Weights![2999]);
        Assert.Equal([3f], read.Data.RowValues(2999).ToArray());
        Assert.False(TrainingDataReader.FirstRowIsSparse(data, columns));
    }

    [Fact]
    public void OneHotEncodedSparseFeaturesAreDensifiedWithSlotNames()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[]
        {
            new ScalarRow { A = 1f, Text = "red" },
            new ScalarRow { A = 2f, Text = "blue" },
            new ScalarRow { A = 3f, Text = "red" },
        });
        var encoded = _mlContext.Transforms.Categorical.OneHotEncoding("Features", "Text").Fit(data).Transform(data);

        var read = TrainingDataReader.Read(encoded, "Features", "A", TaskKind.Regression);

        Assert.Equal([1f, 0f, 0f, 1f, 1f, 0f], read.Data.Features);
        Assert.Equal(["red", "blue"], read.SlotNames!);
    }

    [Fact]
    public void RegressionReadsScalarFeatureAndWeightsAndSkipsNaNLabels()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[]
        {
            new ScalarRow { A = 1f, B = 10f, Weight = 0.5f },
            new ScalarRow { A = 2f, B = float.NaN, Weight = 1f },
            new ScalarRow { A = 3f, B = -30f, Weight = 2f },
        });

        var read = TrainingDataReader.Read(data, "A", "B", TaskKind.Regression, "Weight");

        Assert.Equal(1, read.Data.Columns);
        Assert.Equal([1f, 3f], read.Data.Features.AsSpan(0, read.Data.Rows * read.Data.Columns).ToArray());
        Assert.Equal([10f, -30f], read.Data.Labels.AsSpan(0, read.Data.Rows).ToArray());
        Assert.Equal([0.5f, 2f], read.Data.Weights.AsSpan(0, read.Data.Rows).ToArray());
        Assert.Equal(1, read.SkippedRowCount);
        Assert.Equal(0, read.ClassCount);
    }

    [Fact]
    public void RegressionConvertsDoubleAndInt32Labels()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[]
        {
            new NumericLabelsRow { Features = [1f], Double = 1.5, Int = 7 },
            new NumericLabelsRow { Features = [2f], Double = double.NaN, Int = -2 },
        });

        var fromDouble = TrainingDataReader.Read(data, "Features", "Double", TaskKind.Regression);
        var fromInt = TrainingDataReader.Read(data, "Features", "Int", TaskKind.Regression);

        Assert.Equal([1.5f], fromDouble.Data.Labels.AsSpan(0, fromDouble.Data.Rows).ToArray());
        Assert.Equal(1, fromDouble.SkippedRowCount);
        Assert.Equal([7f, -2f], fromInt.Data.Labels.AsSpan(0, fromInt.Data.Rows).ToArray());
    }

    [Fact]
    public void BinaryReadsBooleanLabels()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[]
        {
            new BinaryRow { Features = [1f, 2f], Label = true },
            new BinaryRow { Features = [3f, 4f], Label = false },
        });

        var read = TrainingDataReader.Read(data, "Features", "Label", TaskKind.Binary);

        Assert.Equal([1f, 0f], read.Data.Labels);
        Assert.Equal(2, read.ClassCount);
        Assert.Equal([1f, 2f, 3f, 4f], read.Data.Features);
    }

    [Fact]
    public void AViewWithoutARowCountIsCountedFirstAndCopiedAtItsExactSize()
    {
        var rows = Enumerable.Range(0, 300).Select(i => new BinaryRow { Features = [i, -i], Label = i % 3 == 0 }).ToArray();
        var data = _mlContext.Data.LoadFromEnumerable(rows.Where(_ => true));

        var read = TrainingDataReader.Read(data, "Features", "Label", TaskKind.Binary);

        Assert.Equal(300, read.Data.Rows);
        Assert.Equal(600, read.Data.Features.Length);
        Assert.Equal(299f, read.Data.Features[598]);
        Assert.Equal(-299f, read.Data.Features[599]);
        Assert.Equal(1f, read.Data.Labels[297]);
        Assert.Equal(0f, read.Data.Labels[299]);
    }

    [Fact]
    public void AViewThatGivesMoreRowsThanItCountedIsRefused()
    {
        var passes = 0;
        IEnumerable<BinaryRow> Rows()
        {
            // Each pass gives one row more than the one before.
            passes++;
            for (var i = 0; i < 3 + passes; i++)
            {
                yield return new BinaryRow { Features = [i, -i], Label = i % 2 == 0 };
            }
        }

        var data = _mlContext.Data.LoadFromEnumerable(Rows());

        var error = Assert.Throws<InvalidOperationException>(() => TrainingDataReader.Read(data, "Features", "Label", TaskKind.Binary));

        Assert.Contains("more rows than the 4 it counted", error.Message);
        Assert.Contains("same rows on every pass", error.Message);
    }

    [Theory]
    [InlineData("Missing", "Label", null, "featureColumnName", "The feature column 'Missing' is not in the data")]
    [InlineData("Features", "Missing", null, "labelColumnName", "The label column 'Missing' is not in the data")]
    [InlineData("Features", "Label", "Missing", "exampleWeightColumnName", "The example weight column 'Missing' is not in the data")]
    public void MissingColumnListsAvailableColumns(string features, string label, string? weight, string parameter, string message)
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[] { new BinaryRow { Features = [1f, 2f], Label = true } });

        var error = Assert.Throws<ArgumentException>(() => TrainingDataReader.Read(data, features, label, TaskKind.Binary, weight));

        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("Available columns: 'Features' (Vector<Single, 2>), 'Label' (Boolean)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FeatureColumnOfWrongTypeSaysExpectedAndFound()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[] { new ScalarRow { A = 1f, Text = "x" } });

        var error = Assert.Throws<ArgumentException>(() => TrainingDataReader.Read(data, "Text", "A", TaskKind.Regression));

        Assert.Equal("featureColumnName", error.ParamName);
        Assert.Contains("'Text' must be a known-size vector of Single (or a Single); found String", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FeatureVectorOfDoubleIsRejected()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[] { new NumericLabelsRow { Features = [1f], DoubleFeatures = [1.0, 2.0] } });

        var error = Assert.Throws<ArgumentException>(() => TrainingDataReader.Read(data, "DoubleFeatures", "Int", TaskKind.Regression));

        Assert.Contains("found Vector<Double, 2>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VariableSizeFeatureVectorIsRejected()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[] { new VariableRow { Features = [1f, 2f], Label = 1f } });

        var error = Assert.Throws<ArgumentException>(() => TrainingDataReader.Read(data, "Features", "Label", TaskKind.Regression));

        Assert.Contains("'Features' is a vector of Single of variable size", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(float.NaN, "a missing (NaN) value at row 1, slot 1")]
    [InlineData(float.PositiveInfinity, "an infinite value at row 1, slot 1")]
    [InlineData(float.NegativeInfinity, "an infinite value at row 1, slot 1")]
    public void NonFiniteFeatureNamesRowAndPointsToReplaceMissingValues(float bad, string message)
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[]
        {
            new BinaryRow { Features = [1f, 2f], Label = true },
            new BinaryRow { Features = [3f, bad], Label = false },
        });

        var error = Assert.Throws<InvalidOperationException>(() => TrainingDataReader.Read(data, "Features", "Label", TaskKind.Binary));

        Assert.Contains($"The feature column 'Features' has {message}", error.Message, StringComparison.Ordinal);
        Assert.Contains("mlContext.Transforms.ReplaceMissingValues(\"Features\")", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonFiniteFeatureNamesTheSlot()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[] { new ScalarRow { A = 1f, B = float.NaN, Weight = 1f } });
        var prepared = _mlContext.Transforms.Concatenate("Features", "A", "B").Fit(data).Transform(data);

        var error = Assert.Throws<InvalidOperationException>(() => TrainingDataReader.Read(prepared, "Features", "Weight", TaskKind.Regression));

        Assert.Contains("row 0, slot 1 ('B')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyDataIsRejected()
    {
        var data = _mlContext.Data.LoadFromEnumerable(Array.Empty<BinaryRow>());

        var error = Assert.Throws<InvalidOperationException>(() => TrainingDataReader.Read(data, "Features", "Label", TaskKind.Binary));

        Assert.Equal("The training data has no rows.", error.Message);
    }

    [Fact]
    public void DataWithOnlyMissingLabelsIsRejected()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[] { new LabeledRow { Features = [1f, 2f], Text = "?" }, new LabeledRow { Features = [1f, 2f], Text = "" } });

        var error = Assert.Throws<InvalidOperationException>(() => TrainingDataReader.Read(MapToKnownClasses(data), "Features", "Label", TaskKind.Multiclass));

        Assert.Contains("All 2 rows have a missing label in the label column 'Label'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MulticlassWithASingleClassIsRejected()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[]
        {
            new ScalarRow { A = 1f, Text = "cat" },
            new ScalarRow { A = 2f, Text = "cat" },
        });
        var prepared = _mlContext.Transforms.Conversion.MapValueToKey("Label", "Text").Fit(data).Transform(data);

        var error = Assert.Throws<InvalidOperationException>(() => TrainingDataReader.Read(prepared, "A", "Label", TaskKind.Multiclass));

        Assert.Contains("The label column 'Label' has only one class ('cat') in the 2 rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BinaryWithASingleClassIsRejected()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[] { new BinaryRow { Features = [1f, 2f], Label = true }, new BinaryRow { Features = [3f, 4f], Label = true } });

        var error = Assert.Throws<InvalidOperationException>(() => TrainingDataReader.Read(data, "Features", "Label", TaskKind.Binary));

        Assert.Contains("has only one class ('1')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MulticlassLabelThatIsNotAKeyPointsToMapValueToKey()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[] { new ScalarRow { A = 1f, Text = "cat" } });

        var error = Assert.Throws<ArgumentException>(() => TrainingDataReader.Read(data, "A", "Text", TaskKind.Multiclass));

        Assert.Equal("labelColumnName", error.ParamName);
        Assert.Contains("'Text' must be a key type for multiclass classification; found String", error.Message, StringComparison.Ordinal);
        Assert.Contains("MapValueToKey(\"Text\")", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BinaryLabelMustBeBoolean()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[] { new ScalarRow { A = 1f, B = 1f } });

        var error = Assert.Throws<ArgumentException>(() => TrainingDataReader.Read(data, "A", "B", TaskKind.Binary));

        Assert.Contains("'B' must be Boolean for binary classification; found Single", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RegressionLabelMustBeNumeric()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[] { new ScalarRow { A = 1f, Text = "x" } });

        var error = Assert.Throws<ArgumentException>(() => TrainingDataReader.Read(data, "A", "Text", TaskKind.Regression));

        Assert.Contains("'Text' must be Single for regression (Double and Int32 are converted); found String", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WeightMustBeSingle()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[] { new ScalarRow { A = 1f, B = 1f, Text = "x" } });

        var error = Assert.Throws<ArgumentException>(() => TrainingDataReader.Read(data, "A", "B", TaskKind.Regression, "Text"));

        Assert.Equal("exampleWeightColumnName", error.ParamName);
        Assert.Contains("'Text' must be Single; found String", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    public void NegativeOrNaNWeightIsRejectedWithItsRow(float weight)
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[] { new ScalarRow { A = 1f, B = 1f, Weight = 1f }, new ScalarRow { A = 1f, B = 1f, Weight = weight } });

        var error = Assert.Throws<InvalidOperationException>(() => TrainingDataReader.Read(data, "A", "B", TaskKind.Regression, "Weight"));

        Assert.Contains("The example weight column 'Weight' has the value", error.Message, StringComparison.Ordinal);
        Assert.Contains("at row 1", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Maps Text to the key Label over the classes cat, dog and emu; anything else gets the missing key 0.</summary>
    private IDataView MapToKnownClasses(IDataView data)
    {
        var classes = _mlContext.Data.LoadFromEnumerable(new[] { new ScalarRow { Text = "cat" }, new ScalarRow { Text = "dog" }, new ScalarRow { Text = "emu" } });
        var keyData = _mlContext.Transforms.SelectColumns("Text").Fit(classes).Transform(classes);
        return _mlContext.Transforms.Conversion.MapValueToKey("Label", "Text", keyData: keyData).Fit(data).Transform(data);
    }

    public sealed class LabeledRow
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];

        public string Text { get; set; } = "";
    }

    public sealed class ScalarRow
    {
        public float A { get; set; }

        public float B { get; set; }

        public float Weight { get; set; }

        public string Text { get; set; } = "";
    }

    public sealed class KeyRow
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];

        [KeyType(3)]
        public uint Label { get; set; }
    }

    public sealed class SparseRow
    {
        [VectorType(5)]
        public VBuffer<float> Features { get; set; }

        public float Label { get; set; }
    }

    public sealed class BinaryRow
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    public sealed class NumericLabelsRow
    {
        [VectorType(1)]
        public float[] Features { get; set; } = [];

        [VectorType(2)]
        public double[] DoubleFeatures { get; set; } = [0.0, 0.0];

        public double Double { get; set; }

        public int Int { get; set; }
    }

    public sealed class VariableRow
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
