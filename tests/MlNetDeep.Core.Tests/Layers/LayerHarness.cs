using MlNetDeep.Compute;
using MlNetDeep.Layers;
using MlNetDeep.Tests.TestUtilities;

namespace MlNetDeep.Tests.Layers;

/// <summary>
/// Lays a layer's parameters, gradients and buffers out in three contiguous storages (as the network does),
/// binds and allocates it, and runs forward/backward passes and finite-difference checks on it.
/// </summary>
internal sealed class LayerHarness
{
    private readonly Dictionary<string, TensorView> _parameters = [];
    private readonly Dictionary<string, TensorView> _gradients = [];
    private readonly Dictionary<string, TensorView> _buffers = [];

    public LayerHarness(Layer layer, int maxBatch, bool training = true, long seed = 1)
    {
        Layer = layer;
        ParameterStorage = new float[layer.Parameters.Sum(p => p.Length)];
        GradientStorage = new float[ParameterStorage.Length];
        BufferStorage = new float[layer.Buffers.Sum(p => p.Length)];
        var parameters = Views(layer.Parameters, ParameterStorage, _parameters);
        var gradients = Views(layer.Parameters, GradientStorage, _gradients);
        var buffers = Views(layer.Buffers, BufferStorage, _buffers);
        layer.Bind(parameters, gradients, buffers);
        layer.Allocate(maxBatch);
        Context = new LayerContext(new RandomGenerator(seed)) { Training = training };
    }

    public Layer Layer { get; }

    public float[] ParameterStorage { get; }

    public float[] GradientStorage { get; }

    public float[] BufferStorage { get; }

    public LayerContext Context { get; }

    public Span<float> Parameter(string name) => _parameters[name].Span;

    public Span<float> Gradient(string name) => _gradients[name].Span;

    public Span<float> Buffer(string name) => _buffers[name].Span;

    public float[] Forward(float[] x, int batch)
    {
        var y = new float[batch * Layer.OutputSize];
        Layer.Forward(x, y, batch, Context);
        return y;
    }

    /// <summary>Clears the gradients, runs backward and returns dx.</summary>
    public float[] Backward(float[] x, float[] y, float[] dy, int batch)
    {
        Array.Clear(GradientStorage);
        var dx = new float[batch * Layer.InputSize];
        Layer.Backward(x, y, dy, dx, batch, Context);
        return dx;
    }

    /// <summary>
    /// Checks dx and every parameter gradient of the loss <c>L = Σ y·w</c> (so dy = w) against central differences.
    /// </summary>
    public void CheckGradients(int batch, int seed, double rtol = 2e-2, double atol = 2e-3)
    {
        var random = new Random(seed);
        var x = FiniteDifference.RandomVector(random, batch * Layer.InputSize);
        var w = FiniteDifference.RandomVector(random, batch * Layer.OutputSize, -1, 1);
        var y = Forward(x, batch);
        var dx = Backward(x, y, w, batch);
        var numeric = FiniteDifference.Gradient(probe => Loss(Forward(probe, batch), w), x);
        FiniteDifference.AssertMatches(dx, numeric, rtol, atol, "dx");
        foreach (var spec in Layer.Parameters)
        {
            var original = Parameter(spec.Name).ToArray();
            var analytic = Gradient(spec.Name).ToArray();
            var numericParameter = FiniteDifference.Gradient(
                probe =>
                {
                    probe.CopyTo(Parameter(spec.Name));
                    return Loss(Forward(x, batch), w);
                },
                original);
            original.CopyTo(Parameter(spec.Name));
            FiniteDifference.AssertMatches(analytic, numericParameter, rtol, atol, "d" + spec.Name);
        }
    }

    /// <summary>Fills every parameter with random values around its initial value.</summary>
    public void RandomizeParameters(int seed)
    {
        var random = new Random(seed);
        foreach (var spec in Layer.Parameters)
        {
            var values = Parameter(spec.Name);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)(spec.InitialValue + (random.NextDouble() - 0.5));
            }
        }
    }

    public static double Loss(float[] y, float[] w)
    {
        var sum = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            sum += (double)y[i] * w[i];
        }

        return sum;
    }

    /// <summary>Bytes allocated on this thread by one forward and one backward pass, after a warm-up pair.</summary>
    public long AllocatedBytesPerStep(int batch)
    {
        var x = FiniteDifference.RandomVector(new Random(3), batch * Layer.InputSize);
        var y = new float[batch * Layer.OutputSize];
        var dy = FiniteDifference.RandomVector(new Random(4), y.Length);
        var dx = new float[x.Length];
        Layer.Forward(x, y, batch, Context);
        Layer.Backward(x, y, dy, dx, batch, Context);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Layer.Forward(x, y, batch, Context);
        Layer.Backward(x, y, dy, dx, batch, Context);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static TensorView[] Views(IReadOnlyList<ParameterSpec> specs, float[] storage, Dictionary<string, TensorView> byName)
    {
        var views = new TensorView[specs.Count];
        var offset = 0;
        for (var i = 0; i < specs.Count; i++)
        {
            views[i] = new TensorView(storage, offset, specs[i].Length);
            views[i].Span.Fill(specs[i].InitialValue);
            byName[specs[i].Name] = views[i];
            offset += specs[i].Length;
        }

        return views;
    }
}
