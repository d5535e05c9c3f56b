namespace MlNetDeep.Export;

/// <summary>
/// What <see cref="OnnxNetworkWriter"/> needs of an ONNX graph under construction: constants (initializers) and nodes of
/// the standard ONNX operators, named by their ONNX operator types. The graph names every value itself, so a writer never
/// collides with the names of the graph it writes into.
/// </summary>
internal interface IOnnxGraph
{
    /// <summary>Adds a float32 constant of <paramref name="shape"/> and returns its name.</summary>
    string Floats(string name, ReadOnlySpan<float> values, params long[] shape);

    /// <summary>Adds a float64 constant of <paramref name="shape"/> and returns its name.</summary>
    string Doubles(string name, ReadOnlySpan<double> values, params long[] shape);

    /// <summary>Adds an int64 constant of <paramref name="shape"/> and returns its name.</summary>
    string Int64s(string name, ReadOnlySpan<long> values, params long[] shape);

    /// <summary>Adds a boolean constant of <paramref name="shape"/> and returns its name.</summary>
    string Bools(string name, ReadOnlySpan<bool> values, params long[] shape);

    /// <summary>
    /// Adds a node of the standard ONNX operator <paramref name="opType"/> on <paramref name="inputs"/>, writing its single
    /// output to <paramref name="output"/> when given (a value the graph already declared), else to a new value; returns
    /// the output's name.
    /// </summary>
    string Node(string opType, IReadOnlyList<string> inputs, string? output = null, params OnnxAttribute[] attributes);
}

/// <summary>An attribute of an ONNX node: a <see cref="long"/>, a <see cref="float"/>, a <c>long[]</c> or an <see cref="OnnxElementType"/>.</summary>
/// <param name="Name">The attribute's ONNX name.</param>
/// <param name="Value">Its value.</param>
internal readonly record struct OnnxAttribute(string Name, object Value);

/// <summary>The ONNX element types the writer casts between.</summary>
internal enum OnnxElementType
{
    /// <summary>float32.</summary>
    Float,

    /// <summary>float64.</summary>
    Double,

    /// <summary>int64.</summary>
    Int64,

    /// <summary>uint32, ML.NET's key type.</summary>
    UInt32,
}
