using System.Numerics.Tensors;

namespace MlNetDeep.ActivationFunctions;

/// <summary>
/// Row-wise softmax over <c>[batch, classes]</c>, built on <see cref="TensorPrimitives"/>.
/// Forward: <c>y[b, :] = e^(x[b, :] − m) / Σ_j e^(x[b, j] − m)</c> with <c>m = max_j x[b, j]</c>, so no
/// exponential overflows. Backward: <c>dx[b, :] = y[b, :] ⊙ (dy[b, :] − Σ_j y[b, j]·dy[b, j])</c>.
/// Both work in place (output aliasing the input) and allocate nothing.
/// </summary>
internal static class Softmax
{
    /// <summary>Writes <c>y = softmax(x)</c> row by row; <paramref name="y"/> may be the same memory as <paramref name="x"/>.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int batch, int classes)
    {
        CheckShape(x.Length, y.Length, batch, classes);
        for (var row = 0; row < batch; row++)
        {
            var input = x.Slice(row * classes, classes);
            var output = y.Slice(row * classes, classes);
            var max = TensorPrimitives.Max(input);
            TensorPrimitives.Subtract(input, max, output);
            TensorPrimitives.Exp(output, output);
            TensorPrimitives.Multiply(output, 1f / TensorPrimitives.Sum(output), output);
        }
    }

    /// <summary>
    /// Writes <c>dx = y ⊙ (dy − Σ y·dy)</c> row by row from the forward output <paramref name="y"/>;
    /// <paramref name="dx"/> may be the same memory as <paramref name="dy"/>.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int batch, int classes)
    {
        CheckShape(y.Length, dy.Length, batch, classes);
        CheckShape(y.Length, dx.Length, batch, classes);
        for (var row = 0; row < batch; row++)
        {
            var output = y.Slice(row * classes, classes);
            var outputGradient = dy.Slice(row * classes, classes);
            var inputGradient = dx.Slice(row * classes, classes);
            var dot = TensorPrimitives.Dot(output, outputGradient);
            TensorPrimitives.Subtract(outputGradient, dot, inputGradient);
            TensorPrimitives.Multiply(inputGradient, output, inputGradient);
        }
    }

    private static void CheckShape(int first, int second, int batch, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        if (classes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(classes), $"Softmax needs at least one class. Received: classes={classes}.");
        }

        var needed = (long)batch * classes;
        if (first < needed || second < needed)
        {
            throw new ArgumentException($"Softmax over [{batch}, {classes}] needs {needed} values per span. Received: {first} and {second}.");
        }
    }
}
