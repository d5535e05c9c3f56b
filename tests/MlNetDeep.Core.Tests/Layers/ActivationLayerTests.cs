using MlNetDeep.ActivationFunctions;
using MlNetDeep.Compute;
using MlNetDeep.Layers;
using MlNetDeep.Tests.ActivationFunctions;
using MlNetDeep.Tests.TestUtilities;
using Xunit;

namespace MlNetDeep.Tests.Layers;

/// <summary>The activation layer: sizes, forward and backward over a batch, and input checks.</summary>
public class ActivationLayerTests
{
    private static readonly LayerContext Context = new(new RandomGenerator(1));

    [Theory]
    [MemberData(nameof(ActivationCases.Names), MemberType = typeof(ActivationCases))]
    public void AppliesTheFunctionToEveryRow(string name)
    {
        const int Batch = 3;
        const int Size = 11;
        var testCase = ActivationCases.Get(name);
        var layer = new ActivationLayer(Size, testCase.Create());
        Assert.Equal(Size, layer.InputSize);
        Assert.Equal(Size, layer.OutputSize);
        Assert.Empty(layer.Parameters);
        Assert.Empty(layer.Buffers);

        var random = new Random(4);
        var x = FiniteDifference.RandomVector(random, Batch * Size, -3, 3);
        ActivationGradientTests.AvoidKinks(x, testCase.Kinks);
        var dy = FiniteDifference.RandomVector(random, Batch * Size, -1, 1);

        // Spans longer than batch × size: only the batch is touched.
        var y = new float[(Batch * Size) + 2];
        var dx = new float[(Batch * Size) + 2];
        y[^1] = dx[^1] = 42f;
        layer.Forward(x, y, Batch, Context);
        layer.Backward(x, y, dy, dx, Batch, Context);
        Assert.Equal(42f, y[^1]);
        Assert.Equal(42f, dx[^1]);

        var expectedY = x.Select(v => (float)testCase.Value(v)).ToArray();
        var expectedDx = x.Select((v, i) => (float)(testCase.Derivative(v) * dy[i])).ToArray();
        AssertClose.All(expectedY, y.AsSpan(0, Batch * Size), 1e-5, 1e-6, $"{name} y");
        AssertClose.All(expectedDx, dx.AsSpan(0, Batch * Size), 1e-5, 1e-6, $"{name} dx");

        var numeric = FiniteDifference.Gradient(
            point =>
            {
                var output = new float[point.Length];
                layer.Forward(point, output, Batch, Context);
                return ActivationGradientTests.Dot(output, dy);
            },
            x);
        FiniteDifference.AssertMatches(dx.AsSpan(0, Batch * Size), numeric, what: $"{name} layer dx");
    }

    [Fact]
    public void KindConstructorUsesTheFactoryAndSettings()
    {
        var layer = new ActivationLayer(4, Activation.LeakyReLU, new ActivationSettings { LeakyReLUSlope = 0.5f });
        Assert.Equal(Activation.LeakyReLU, layer.Function.Kind);
        var y = new float[4];
        layer.Forward([-2f, -1f, 1f, 2f], y, 1, Context);
        Assert.Equal([-1f, -0.5f, 1f, 2f], y);
        Assert.Throws<ArgumentException>(() => new ActivationLayer(4, Activation.PReLU));
    }

    [Fact]
    public void BackwardWithoutInputGradientDoesNothingAndShortSpansThrow()
    {
        var layer = new ActivationLayer(5, Activation.Tanh);
        layer.Backward(new float[10], new float[10], new float[10], Span<float>.Empty, 2, Context);
        Assert.Throws<ArgumentException>(() => layer.Forward(new float[9], new float[10], 2, Context));
        Assert.Throws<ArgumentException>(() => layer.Backward(new float[10], new float[10], new float[9], new float[10], 2, Context));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActivationLayer(0, Activation.ReLU));
    }
}
