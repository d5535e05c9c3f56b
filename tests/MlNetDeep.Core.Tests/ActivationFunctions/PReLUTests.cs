using MlNetDeep.ActivationFunctions;
using MlNetDeep.Compute;
using MlNetDeep.Layers;
using MlNetDeep.Tests.TestUtilities;
using Xunit;

namespace MlNetDeep.Tests.ActivationFunctions;

/// <summary>The PReLU layer: its parameter spec, gradients by finite differences, accumulation, in-place use.</summary>
public class PReLUTests
{
    private static readonly LayerContext Context = new(new RandomGenerator(1)) { Training = true };

    [Fact]
    public void DeclaresOneSlopePerUnit()
    {
        var layer = new PReLU(7);
        var spec = Assert.Single(layer.Parameters);
        Assert.Equal("alpha", spec.Name);
        Assert.Equal([7], spec.Shape);
        Assert.Equal(ParameterRole.ActivationParameter, spec.Role);
        Assert.Equal(0.25f, spec.InitialValue);
        Assert.False(spec.IsDecayed);
        Assert.Empty(layer.Buffers);
        Assert.Equal(7, layer.InputSize);
        Assert.Equal(7, layer.OutputSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PReLU(0));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(2, 17)]
    [InlineData(3, 33)]
    [InlineData(2, 100)]
    public void GradientsMatchFiniteDifferences(int batch, int units)
    {
        var random = new Random((batch * 1000) + units);
        var alpha = FiniteDifference.RandomVector(random, units, 0.05, 0.6);
        var x = FiniteDifference.RandomVector(random, batch * units, -3, 3);
        ActivationGradientTests.AvoidKinks(x, [0]);
        var dy = FiniteDifference.RandomVector(random, batch * units, -1, 1);
        var (layer, parameters, gradients) = Create(units, alpha);
        var y = new float[x.Length];
        var dx = new float[x.Length];
        layer.Forward(x, y, batch, Context);
        layer.Backward(x, y, dy, dx, batch, Context);

        double Loss(float[] input, float[] slopes)
        {
            var (probe, _, _) = Create(units, slopes);
            var output = new float[input.Length];
            probe.Forward(input, output, batch, Context);
            return ActivationGradientTests.Dot(output, dy);
        }

        FiniteDifference.AssertMatches(dx, FiniteDifference.Gradient(point => Loss(point, alpha), x), what: "prelu dx");
        FiniteDifference.AssertMatches(gradients, FiniteDifference.Gradient(point => Loss(x, point), alpha), what: "prelu dalpha");
        Assert.Equal(alpha, parameters);
    }

    [Fact]
    public void BackwardAccumulatesSlopeGradientAndSkipsEmptyInputGradient()
    {
        var random = new Random(11);
        const int Batch = 4;
        const int Units = 19;
        var alpha = FiniteDifference.RandomVector(random, Units, 0.1, 0.5);
        var x = FiniteDifference.RandomVector(random, Batch * Units, -2, 2);
        var dy = FiniteDifference.RandomVector(random, Batch * Units, -1, 1);
        var (layer, _, gradients) = Create(Units, alpha);
        var y = new float[x.Length];
        layer.Forward(x, y, Batch, Context);
        layer.Backward(x, y, dy, new float[x.Length], Batch, Context);
        var once = (float[])gradients.Clone();
        layer.Backward(x, y, dy, Span<float>.Empty, Batch, Context);

        var expected = new float[Units];
        for (var j = 0; j < Units; j++)
        {
            double sum = 0;
            for (var b = 0; b < Batch; b++)
            {
                var v = x[(b * Units) + j];
                sum += v > 0 ? 0 : v * dy[(b * Units) + j];
            }

            expected[j] = (float)sum;
        }

        AssertClose.All(expected, once, 1e-5, 1e-6, "dalpha once");
        AssertClose.All(expected.Select(v => 2 * v).ToArray(), gradients, 1e-5, 1e-6, "dalpha accumulated twice");
    }

    [Fact]
    public void ForwardWorksInPlaceAndDoesNotAllocate()
    {
        var random = new Random(2);
        const int Batch = 3;
        const int Units = 21;
        var alpha = FiniteDifference.RandomVector(random, Units, 0.1, 0.5);
        var x = FiniteDifference.RandomVector(random, Batch * Units, -2, 2);
        var dy = FiniteDifference.RandomVector(random, Batch * Units, -1, 1);
        var (layer, _, _) = Create(Units, alpha);
        var y = new float[x.Length];
        var dx = new float[x.Length];
        layer.Forward(x, y, Batch, Context);
        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(x[i] > 0 ? x[i] : alpha[i % Units] * x[i], y[i]);
        }

        var inPlace = (float[])x.Clone();
        layer.Forward(inPlace, inPlace, Batch, Context);
        Assert.Equal(y, inPlace);

        layer.Backward(x, y, dy, dx, Batch, Context);
        Assert.Equal(0, Allocations.Steady(() =>
        {
            layer.Forward(x, y, Batch, Context);
            layer.Backward(x, y, dy, dx, Batch, Context);
        }));
    }

    [Fact]
    public void UseBeforeBindAndWrongViewsThrow()
    {
        var layer = new PReLU(3);
        Assert.Throws<InvalidOperationException>(() => layer.Forward(new float[3], new float[3], 1, Context));
        var storage = new float[4];
        Assert.Throws<ArgumentException>(() => layer.Bind([new TensorView(storage, 0, 4)], [new TensorView(storage, 0, 4)], []));
        layer.Bind([new TensorView(storage, 0, 3)], [new TensorView(new float[3], 0, 3)], []);
        Assert.Throws<ArgumentException>(() => layer.Forward(new float[5], new float[6], 2, Context));
    }

    private static (PReLU Layer, float[] Parameters, float[] Gradients) Create(int units, float[] alpha)
    {
        var layer = new PReLU(units);
        var parameters = (float[])alpha.Clone();
        var gradients = new float[units];
        layer.Bind([new TensorView(parameters, 0, units)], [new TensorView(gradients, 0, units)], []);
        return (layer, parameters, gradients);
    }
}
