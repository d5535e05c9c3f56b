using MlNetDeep.Cli.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Cli.Tests.Data;

public class DatasetSchemaTests
{
    private static CsvTable Table(string text) => CsvTable.Parse(new StringReader(text), "t.csv");

    [Fact]
    public void InfersNumericAndCategoricalColumns()
    {
        var schema = DatasetSchema.Infer(Table("x,colour,Label\n1.5,red,a\n,blue,b\n-2e3,red,c\n"), "Label", null);

        Assert.Equal([("x", ColumnKind.Numeric), ("colour", ColumnKind.Categorical)], schema.Features);
        Assert.Equal(TaskKind.Multiclass, schema.Task);
        Assert.Equal(["a", "b", "c"], schema.Classes);
    }

    [Fact]
    public void NamedColumnsAreCategoricalEvenWhenTheirValuesAreNumbers()
    {
        var schema = DatasetSchema.Infer(Table("code,x,Label\n1,1.5,a\n,2,b\n3,4,a\n"), "Label", null, ["code"]);

        Assert.Equal([("code", ColumnKind.Categorical), ("x", ColumnKind.Numeric)], schema.Features);
    }

    [Fact]
    public void NamedCategoricalColumnMustBeAFeature()
    {
        var table = Table("x,Label\n1,a\n2,b\n");

        Assert.Equal("The categorical column 'y' is not a feature column of t.csv. Feature columns: x.", Assert.Throws<CliException>(() => DatasetSchema.Infer(table, "Label", null, ["y"])).Message);
        Assert.Contains("'Label' is not a feature column", Assert.Throws<CliException>(() => DatasetSchema.Infer(table, "Label", null, ["Label"])).Message);
    }

    [Theory]
    [InlineData("0\n1\n1\n0", "Binary")]
    [InlineData("yes\nno\nyes", "Binary")]
    [InlineData("2\n10\n1\n3", "Multiclass")]
    [InlineData("0.5\n1.5\n2.5", "Regression")]
    [InlineData("cat\ndog\nbird", "Multiclass")]
    public void InfersTheTaskFromTheLabel(string labels, string expected)
    {
        var rows = labels.Split('\n').Select((l, i) => $"{i},{l}");
        var schema = DatasetSchema.Infer(Table("x,Label\n" + string.Join("\n", rows)), "Label", null);

        Assert.Equal(Enum.Parse<TaskKind>(expected), schema.Task);
    }

    [Fact]
    public void ManyDistinctIntegersAreRegression()
    {
        var rows = Enumerable.Range(0, 30).Select(i => $"{i},{i * 7}");
        Assert.Equal(TaskKind.Regression, DatasetSchema.Infer(Table("x,Label\n" + string.Join("\n", rows)), "Label", null).Task);
    }

    [Fact]
    public void NumericClassesAreOrderedByValue()
    {
        var schema = DatasetSchema.Infer(Table("x,Label\n1,10\n2,2\n3,1\n"), "Label", TaskKind.Multiclass);

        Assert.Equal(["1", "2", "10"], schema.Classes);
    }

    [Fact]
    public void UnknownLabelListsTheColumns()
    {
        var e = Assert.Throws<CliException>(() => DatasetSchema.Infer(Table("x,y\n1,2\n"), "Label", null));

        Assert.Equal("The label column 'Label' is not in t.csv. Available columns: x, y. Choose one with --label.", e.Message);
        Assert.Equal(CliException.UsageError, e.ExitCode);
    }

    [Fact]
    public void StrayWordInNumericColumnNamesRowAndColumn()
    {
        var rows = Enumerable.Range(0, 40).Select(i => i == 7 ? "abc,1" : $"{i},{i % 2}");
        var e = Assert.Throws<CliException>(() => DatasetSchema.Infer(Table("x,Label\n" + string.Join("\n", rows)), "Label", null));

        Assert.StartsWith("t.csv, row 9, column 'x': 'abc' is not a number, but 39 of the column's 40 values are.", e.Message);
    }

    [Fact]
    public void ExplicitTaskMustFitTheLabel()
    {
        var table = Table("x,Label\n1,a\n2,b\n3,c\n");

        Assert.Contains("exactly two values; 'Label' has 3: a, b, c", Assert.Throws<CliException>(() => DatasetSchema.Infer(table, "Label", TaskKind.Binary)).Message);
        Assert.Contains("needs a numeric label; column 'Label' has 'a' at row 2", Assert.Throws<CliException>(() => DatasetSchema.Infer(table, "Label", TaskKind.Regression)).Message);
    }

    [Fact]
    public void SingleLabelValueIsRejected()
    {
        var e = Assert.Throws<CliException>(() => DatasetSchema.Infer(Table("x,Label\n1,a\n2,a\n"), "Label", null));

        Assert.Contains("has 1 distinct value(s)", e.Message);
    }
}
