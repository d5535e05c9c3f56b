using Microsoft.ML;

namespace MlNetDeep.Internal;

/// <summary>Builds ML.NET's <see cref="SchemaShape"/> of a schema (its factory is internal to ML.NET 5.0.1), for schema propagation checks.</summary>
internal static class SchemaShapes
{
    /// <summary>The shape of <paramref name="schema"/>, as estimators' <c>GetOutputSchema</c> takes it.</summary>
    public static SchemaShape Of(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return SchemaShape.Create(schema);
    }
}
