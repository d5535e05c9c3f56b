using MlNetDeep.Cli.Data;

namespace MlNetDeep.Cli.Tests.Data;

public class CsvTableTests
{
    [Fact]
    public void ParsesQuotedFieldsAndTrailingEmptyFields()
    {
        var table = CsvTable.Parse(new StringReader("a,b,c\n1,\"x, \"\"y\"\"\",\n\n2,z,3\n"), "t.csv");

        Assert.Equal(["a", "b", "c"], table.Columns);
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(["1", "x, \"y\"", ""], table.Rows[0]);
        Assert.Equal(["2", "z", "3"], table.Rows[1]);
    }

    [Fact]
    public void ToTextReordersColumnsQuotesAndFillsAbsentOnes()
    {
        var table = CsvTable.Parse(new StringReader("a,b\n1,\"p,q\"\n"), "t.csv");

        Assert.Equal("\"p,q\",,1\n", table.ToText(["b", null, "a"]));
    }

    [Fact]
    public void SelectTakesTheRowsInTheOrderGiven()
    {
        var table = CsvTable.Parse(new StringReader("a,b\n1,x\n2,y\n3,z\n"), "t.csv");

        var selected = table.Select([2, 0]);

        Assert.Equal(["a", "b"], selected.Columns);
        Assert.Equal("t.csv", selected.Source);
        Assert.Equal([["3", "z"], ["1", "x"]], selected.Rows);
    }

    [Fact]
    public void RowWithWrongWidthNamesTheRow()
    {
        var e = Assert.Throws<CliException>(() => CsvTable.Parse(new StringReader("a,b\n1,2\n3\n"), "t.csv"));

        Assert.Equal("t.csv, row 3: expected 2 fields as in the header, found 1.", e.Message);
    }

    [Fact]
    public void DuplicateColumnNamesAreRejected()
    {
        var e = Assert.Throws<CliException>(() => CsvTable.Parse(new StringReader("a,b,a\n1,2,3\n"), "t.csv"));

        Assert.Contains("'a' appears twice (columns 1 and 3)", e.Message);
    }

    [Fact]
    public void EmptyAndHeaderOnlyFilesAreRejected()
    {
        Assert.Contains("is empty", Assert.Throws<CliException>(() => CsvTable.Parse(new StringReader(""), "t.csv")).Message);
        Assert.Contains("no data rows", Assert.Throws<CliException>(() => CsvTable.Parse(new StringReader("a,b\n"), "t.csv")).Message);
    }

    [Fact]
    public void MissingFileGivesTheFullPath()
    {
        var e = Assert.Throws<CliException>(() => CsvTable.Load("no-such-file.csv"));

        Assert.Contains("'no-such-file.csv' does not exist", e.Message);
        Assert.Contains(Path.GetFullPath("no-such-file.csv"), e.Message);
    }

    [Fact]
    public void EmbeddedDigitsHasAllRows()
    {
        var table = EmbeddedDataset.Load();

        Assert.Equal(65, table.Columns.Count);
        Assert.Equal("Label", table.Columns[0]);
        Assert.Equal(1797, table.Rows.Count);
    }
}
