using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Internal;

/// <summary>Builds ML.NET's <see cref="SchemaShape"/> of a schema (its factory is internal to ML.NET 5.0.1 and 6.0.0), for schema propagation checks.</summary>
internal static class SchemaShapes
{
    /// <summary>The shape of <paramref name="schema"/>, as estimators' <c>GetOutputSchema</c> takes it.</summary>
    public static SchemaShape Of(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return SchemaShape.Create(schema);
    }

    /// <summary>
    /// <paramref name="inputSchema"/> with a known-size <c>Single</c> vector column <paramref name="outputColumnName"/>
    /// added, after checking that <paramref name="inputColumnName"/> is a vector of <c>Single</c>; errors name
    /// <paramref name="what"/> and the column.
    /// </summary>
    public static SchemaShape WithFloatVector(SchemaShape inputSchema, string inputColumnName, string outputColumnName, string what)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (!inputSchema.TryFindColumn(inputColumnName, out var input))
        {
            throw new ArgumentException($"The input column '{inputColumnName}' of {what} is not in the data; the columns are: {string.Join(", ", inputSchema.Select(c => c.Name))}.", nameof(inputSchema));
        }

        if (input.Kind != SchemaShape.Column.VectorKind.Vector || input.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentException($"The input column '{inputColumnName}' of {what} must be a known-size vector of Single; it is {input.Kind} of {input.ItemType}.", nameof(inputSchema));
        }

        var columns = inputSchema.ToDictionary(c => c.Name);
        columns[outputColumnName] = new SchemaShape.Column(outputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false);
        return new SchemaShape(columns.Values);
    }
}
