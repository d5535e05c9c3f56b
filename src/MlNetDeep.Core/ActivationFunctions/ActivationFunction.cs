namespace MlNetDeep.ActivationFunctions;

/// <summary>
/// An elementwise activation <c>y = f(x)</c> with its derivative. Parameterized activations that learn
/// (PReLU) are layers of their own; this type covers the stateless ones.
/// </summary>
internal abstract class ActivationFunction
{
    /// <summary>Which activation this is.</summary>
    public abstract Activation Kind { get; }

    /// <summary>Writes <c>y = f(x)</c>; <paramref name="y"/> may be the same memory as <paramref name="x"/>.</summary>
    /// <remarks>
    /// The kernels run in vector lanes; the last <c>length mod 4</c> elements run as one padded 4-lane vector
    /// rather than through a scalar path, so equal inputs give bit-identical outputs wherever they sit. Units
    /// that start equal then stay equal (the symmetry of constant initialization) and a row's output does not
    /// depend on the batch it is scored in.
    /// </remarks>
    public void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length != x.Length)
        {
            throw new ArgumentException($"{Kind}: the output holds {y.Length} values for {x.Length} inputs.", nameof(y));
        }

        var main = x.Length & ~(TailWidth - 1);
        if (main > 0)
        {
            ForwardCore(x[..main], y[..main]);
        }

        var rest = x.Length - main;
        if (rest > 0)
        {
            Span<float> tailX = stackalloc float[TailWidth];
            Span<float> tailY = stackalloc float[TailWidth];
            tailX.Fill(x[main]);
            x[main..].CopyTo(tailX);
            ForwardCore(tailX, tailY);
            tailY[..rest].CopyTo(y[main..]);
        }
    }

    /// <summary>Writes <c>dx = f'(x) · dy</c>, given the forward pass's input <paramref name="x"/> and output <paramref name="y"/>.</summary>
    /// <remarks>Vector lanes throughout, like <see cref="Forward"/>; <paramref name="dx"/> may alias <paramref name="dy"/>.</remarks>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        if (y.Length != x.Length || dy.Length != x.Length || dx.Length != x.Length)
        {
            throw new ArgumentException($"{Kind}: backward needs {x.Length} values in y, dy and dx; received {y.Length}, {dy.Length} and {dx.Length}.");
        }

        var main = x.Length & ~(TailWidth - 1);
        if (main > 0)
        {
            BackwardCore(x[..main], y[..main], dy[..main], dx[..main]);
        }

        var rest = x.Length - main;
        if (rest > 0)
        {
            Span<float> tail = stackalloc float[4 * TailWidth];
            var tailX = tail[..TailWidth];
            var tailY = tail.Slice(TailWidth, TailWidth);
            var tailDy = tail.Slice(2 * TailWidth, TailWidth);
            var tailDx = tail[(3 * TailWidth)..];
            tailX.Fill(x[main]);
            tailY.Fill(y[main]);
            tailDy.Fill(dy[main]);
            x[main..].CopyTo(tailX);
            y[main..].CopyTo(tailY);
            dy[main..].CopyTo(tailDy);
            BackwardCore(tailX, tailY, tailDy, tailDx);
            tailDx[..rest].CopyTo(dx[main..]);
        }
    }

    /// <summary>The forward kernel; called with lengths that are multiples of 4.</summary>
    protected abstract void ForwardCore(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>The backward kernel, <c>dx = f'(x) · dy</c>; called with lengths that are multiples of 4.</summary>
    protected abstract void BackwardCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);

    /// <summary>The narrowest vector width the kernels run in.</summary>
    private const int TailWidth = 4;

    /// <summary>
    /// Creates the elementwise activation <paramref name="kind"/> from its <see cref="ActivationRegistry"/> entry, reading
    /// its optional parameters from <paramref name="settings"/> (defaults when null). <see cref="Activation.PReLU"/> learns
    /// a slope per unit, so it is the layer <see cref="PReLU"/> and cannot be created here.
    /// </summary>
    public static ActivationFunction Create(Activation kind, ActivationSettings? settings = null)
    {
        var entry = ActivationRegistry.Get(kind);
        return entry.Function is { } create
            ? create(settings ?? ActivationSettings.Default)
            : throw new ArgumentException(
                $"{kind} learns parameters per unit, so it is a layer: create MlNetDeep.ActivationFunctions.{kind} with the unit count instead of an ActivationFunction.",
                nameof(kind));
    }
}
