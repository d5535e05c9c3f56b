using Microsoft.ML.Model.OnnxConverter;
using MlNetDeep.Export;

namespace MlNetDeep.Internal;

/// <summary>
/// The engine's ONNX graph seam (<see cref="IOnnxGraph"/>) over ML.NET's <see cref="OnnxContext"/>, the graph that
/// <c>mlContext.Model.ConvertToOnnx</c> builds from a whole pipeline. Every constant and intermediate value is named
/// from <see cref="Prefix"/>, which ML.NET makes unique, so the network's names never shadow a pipeline column.
/// </summary>
internal sealed class OnnxContextGraph(OnnxContext context) : IOnnxGraph
{
    /// <summary>The prefix of every name the network adds to the graph.</summary>
    public const string Prefix = "FeedForward.";

    /// <summary>Refuses an operator set outside the one the engine's graphs are written for, naming the model.</summary>
    public static void CheckOpSet(OnnxContext context)
        => context.CheckOpSetVersion(OnnxNetworkWriter.MinimumOpSet, "MlNetDeep FeedForward");

    /// <inheritdoc/>
    public string Floats(string name, ReadOnlySpan<float> values, params long[] shape)
        => context.AddInitializer(values.ToArray(), Dimensions(shape), Prefix + name);

    /// <inheritdoc/>
    public string Doubles(string name, ReadOnlySpan<double> values, params long[] shape)
        => context.AddInitializer(values.ToArray(), Dimensions(shape), Prefix + name);

    /// <inheritdoc/>
    public string Int64s(string name, ReadOnlySpan<long> values, params long[] shape)
        => context.AddInitializer(values.ToArray(), Dimensions(shape), Prefix + name);

    /// <inheritdoc/>
    public string Bools(string name, ReadOnlySpan<bool> values, params long[] shape)
        => context.AddInitializer(values.ToArray(), Dimensions(shape), Prefix + name);

    /// <summary>ML.NET writes a constant without dimensions as a scalar.</summary>
    private static long[]? Dimensions(long[] shape) => shape.Length == 0 ? null : shape;

    /// <inheritdoc/>
    public string Node(string opType, IReadOnlyList<string> inputs, string? output = null, params OnnxAttribute[] attributes)
    {
        output ??= context.AddIntermediateVariable(null, Prefix + opType, skip: true);
        var node = context.CreateNode(opType, inputs, [output], context.GetNodeName(Prefix + opType), "");
        foreach (var attribute in attributes)
        {
            switch (attribute.Value)
            {
                case long value:
                    node.AddAttribute(attribute.Name, value);
                    break;
                case float value:
                    node.AddAttribute(attribute.Name, value);
                    break;
                case long[] values:
                    node.AddAttribute(attribute.Name, values);
                    break;
                case OnnxElementType type:
                    node.AddAttribute(attribute.Name, type switch
                    {
                        OnnxElementType.Float => typeof(float),
                        OnnxElementType.Double => typeof(double),
                        OnnxElementType.Int64 => typeof(long),
                        _ => typeof(uint),
                    });
                    break;
                default:
                    throw new ArgumentException($"The ONNX attribute '{attribute.Name}' has a value of type {attribute.Value?.GetType().Name ?? "null"}, which the graph cannot write.", nameof(attributes));
            }
        }

        return output;
    }
}
