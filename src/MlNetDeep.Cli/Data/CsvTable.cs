using System.Text;

namespace MlNetDeep.Cli.Data;

/// <summary>
/// A comma-separated file held in memory as text fields: a header row, then data rows of the same width.
/// Fields may be quoted with double quotes (a doubled quote inside stands for one quote).
/// Rows are numbered as in the file (the header is row 1) in every error message.
/// </summary>
internal sealed class CsvTable
{
    private CsvTable(string source, string[] columns, List<string[]> rows)
    {
        Source = source;
        Columns = columns;
        Rows = rows;
    }

    /// <summary>Where the table came from (a path, or the embedded dataset's name), for messages.</summary>
    public string Source { get; }

    /// <summary>The column names from the header row.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The data rows, each with one field per column.</summary>
    public IReadOnlyList<string[]> Rows { get; }

    /// <summary>The file row number (the header is row 1) of data row <paramref name="index"/>.</summary>
    public static int FileRow(int index) => index + 2;

    /// <summary>Reads a CSV file.</summary>
    /// <exception cref="CliException">The file does not exist or is not a well-formed table.</exception>
    public static CsvTable Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"The file '{path}' does not exist (full path: {Path.GetFullPath(path)}).");
        }

        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(reader, path);
    }

    /// <summary>Reads CSV text.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="source">The name of the source, for messages.</param>
    /// <exception cref="CliException">The text is not a well-formed table.</exception>
    public static CsvTable Parse(TextReader reader, string source)
    {
        var lineNumber = 0;
        string[]? header = null;
        var rows = new List<string[]>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = SplitLine(line, source, lineNumber);
            if (header is null)
            {
                header = ReadHeader(fields, source);
                continue;
            }

            if (fields.Length != header.Length)
            {
                throw new CliException($"{source}, row {lineNumber}: expected {header.Length} fields as in the header, found {fields.Length}.");
            }

            rows.Add(fields);
        }

        if (header is null)
        {
            throw new CliException($"{source} is empty: expected a header row with the column names.");
        }

        if (rows.Count == 0)
        {
            throw new CliException($"{source} has a header but no data rows.");
        }

        return new CsvTable(source, header, rows);
    }

    /// <summary>The data rows at <paramref name="indexes"/>, in that order, as a table of the same source and columns.</summary>
    public CsvTable Select(IEnumerable<int> indexes) => new(Source, (string[])Columns, [.. indexes.Select(i => Rows[i])]);

    /// <summary>The index of a column, or -1.</summary>
    public int IndexOf(string column) => Array.IndexOf((string[])Columns, column);

    /// <summary>
    /// Writes the named columns, in the order given, as CSV text without a header; a null name writes an
    /// empty field in every row (a column the file does not have).
    /// </summary>
    public string ToText(IReadOnlyList<string?> columns)
    {
        var indexes = columns.Select(c => c is null ? -1 : IndexOf(c)).ToArray();
        var text = new StringBuilder();
        foreach (var row in Rows)
        {
            for (var i = 0; i < indexes.Length; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                if (indexes[i] >= 0)
                {
                    AppendField(text, row[indexes[i]]);
                }
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Appends a field to CSV text, quoted when it holds a comma, a quote or a line break.</summary>
    public static void AppendField(StringBuilder text, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            text.Append(value);
            return;
        }

        text.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    private static string[] ReadHeader(string[] fields, string source)
    {
        var names = fields.Select(f => f.Trim()).ToArray();
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i].Length == 0)
            {
                throw new CliException($"{source}, row 1: the header's column {i + 1} has no name.");
            }

            var first = Array.IndexOf(names, names[i]);
            if (first != i)
            {
                throw new CliException($"{source}, row 1: the column name '{names[i]}' appears twice (columns {first + 1} and {i + 1}).");
            }
        }

        return names;
    }

    private static string[] SplitLine(string line, string source, int lineNumber)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new CliException($"{source}, row {lineNumber}: a quoted field is not closed (quoted fields cannot span lines).");
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(line[i++]);
                }

                if (i < line.Length && line[i] != ',')
                {
                    throw new CliException($"{source}, row {lineNumber}: unexpected text after a quoted field at character {i + 1}.");
                }
            }
            else
            {
                var end = line.IndexOf(',', i);
                if (end < 0)
                {
                    end = line.Length;
                }

                field.Append(line, i, end - i);
                i = end;
            }

            fields.Add(field.ToString().Trim());
            if (i >= line.Length)
            {
                return [.. fields];
            }

            i++;
        }
    }
}
