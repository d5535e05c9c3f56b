using MlNetDeep.Tests.TestUtilities;
using Xunit;

namespace MlNetDeep.Tests.ActivationFunctions;

/// <summary>
/// The vectorized kernels: every length 0..256 against the scalar path and the double-precision definition,
/// nothing written past the end, large-magnitude inputs, in-place use, and no allocation.
/// </summary>
public class ActivationKernelTests
{
    private const int MaxLength = 256;
    private const float Sentinel = -12345.5f;

    [Theory]
    [MemberData(nameof(ActivationCases.Names), MemberType = typeof(ActivationCases))]
    public void EveryLengthMatchesScalarPathAndDefinition(string name)
    {
        var testCase = ActivationCases.Get(name);
        var function = testCase.Create();
        var random = new Random(17 + name.Length);
        var x = FiniteDifference.RandomVector(random, MaxLength, -8, 8);
        x[5] = 1e-6f;
        x[6] = -1e-6f;
        x[7] = 0.3f;
        x[8] = -0.3f;
        var dy = FiniteDifference.RandomVector(random, MaxLength, -1, 1);

        // The scalar path: one element at a time is below every vector width.
        var scalarY = new float[MaxLength];
        var scalarDx = new float[MaxLength];
        for (var i = 0; i < MaxLength; i++)
        {
            function.Forward(x.AsSpan(i, 1), scalarY.AsSpan(i, 1));
            function.Backward(x.AsSpan(i, 1), scalarY.AsSpan(i, 1), dy.AsSpan(i, 1), scalarDx.AsSpan(i, 1));
        }

        for (var i = 0; i < MaxLength; i++)
        {
            AssertClose.Scalar(testCase.Value(x[i]), scalarY[i], 1e-5, 1e-6, $"{name} f({x[i]:R})");
            AssertClose.Scalar(testCase.Derivative(x[i]) * dy[i], scalarDx[i], 1e-5, 1e-6, $"{name} f'({x[i]:R})·dy");
        }

        for (var length = 0; length <= MaxLength; length++)
        {
            var y = Filled(length + 3);
            var dx = Filled(length + 3);
            function.Forward(x.AsSpan(0, length), y.AsSpan(0, length));

            // Backward gets the scalar path's output, so activations whose derivative is computed from y
            // (sigmoid, tanh) are compared on equal inputs rather than through a one-ulp change of y.
            function.Backward(x.AsSpan(0, length), scalarY.AsSpan(0, length), dy.AsSpan(0, length), dx.AsSpan(0, length));
            AssertClose.All(scalarY.AsSpan(0, length), y.AsSpan(0, length), 2e-6, 1e-7, $"{name} y, length {length}");
            AssertClose.All(scalarDx.AsSpan(0, length), dx.AsSpan(0, length), 2e-6, 1e-7, $"{name} dx, length {length}");
            for (var i = length; i < length + 3; i++)
            {
                Assert.Equal(Sentinel, y[i]);
                Assert.Equal(Sentinel, dx[i]);
            }
        }
    }

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("softplus")]
    [InlineData("tanh")]
    [InlineData("mish")]
    [InlineData("silu")]
    [InlineData("gelu")]
    [InlineData("gelu_tanh")]
    [InlineData("elu")]
    [InlineData("selu")]
    [InlineData("softsign")]
    public void LargeMagnitudesGiveFiniteCorrectValues(string name)
    {
        float[] magnitudes = [-1000f, -100f, -30f, -20f, -9f, 9f, 20f, 30f, 100f, 1000f];
        var testCase = ActivationCases.Get(name);
        var function = testCase.Create();

        // Lengths 1, 4, 8, 16 and 37 send every value through the scalar and every vector path.
        foreach (var length in new[] { 1, 4, 8, 16, 37 })
        {
            var x = new float[length];
            for (var i = 0; i < length; i++)
            {
                x[i] = magnitudes[i % magnitudes.Length];
            }

            var dy = Enumerable.Repeat(1f, length).ToArray();
            var y = new float[length];
            var dx = new float[length];
            function.Forward(x, y);
            function.Backward(x, y, dy, dx);
            for (var i = 0; i < length; i++)
            {
                Assert.True(float.IsFinite(y[i]), $"{name}({x[i]}) = {y[i]}");
                Assert.True(float.IsFinite(dx[i]), $"{name}'({x[i]}) = {dx[i]}");
                AssertClose.Scalar(testCase.Value(x[i]), y[i], 1e-5, 1e-6, $"{name}({x[i]})");
                AssertClose.Scalar(testCase.Derivative(x[i]), dx[i], 1e-5, 1e-6, $"{name}'({x[i]})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ActivationCases.Names), MemberType = typeof(ActivationCases))]
    public void InPlaceForwardAndBackwardMatchSeparateBuffers(string name)
    {
        var function = ActivationCases.Get(name).Create();
        var random = new Random(3);
        var x = FiniteDifference.RandomVector(random, 37, -5, 5);
        var dy = FiniteDifference.RandomVector(random, 37, -1, 1);
        var y = new float[37];
        var dx = new float[37];
        function.Forward(x, y);
        function.Backward(x, y, dy, dx);

        var inPlace = (float[])x.Clone();
        function.Forward(inPlace, inPlace);
        Assert.Equal(y, inPlace);

        var gradientInPlace = (float[])dy.Clone();
        function.Backward(x, y, gradientInPlace, gradientInPlace);
        Assert.Equal(dx, gradientInPlace);
    }

    [Theory]
    [MemberData(nameof(ActivationCases.Names), MemberType = typeof(ActivationCases))]
    public void ForwardAndBackwardDoNotAllocate(string name)
    {
        var function = ActivationCases.Get(name).Create();
        var random = new Random(5);
        var x = FiniteDifference.RandomVector(random, 1003);
        var dy = FiniteDifference.RandomVector(random, 1003);
        var y = new float[1003];
        var dx = new float[1003];
        function.Forward(x, y);
        function.Backward(x, y, dy, dx);

        Assert.Equal(0, Allocations.Steady(() =>
        {
            function.Forward(x, y);
            function.Backward(x, y, dy, dx);
        }));
    }

    [Theory]
    [MemberData(nameof(ActivationCases.Names), MemberType = typeof(ActivationCases))]
    public void MismatchedLengthsThrow(string name)
    {
        var function = ActivationCases.Get(name).Create();
        var x = new float[5];
        Assert.Throws<ArgumentException>(() => function.Forward(x, new float[4]));
        Assert.Throws<ArgumentException>(() => function.Backward(x, new float[5], new float[5], new float[6]));
        Assert.Throws<ArgumentException>(() => function.Backward(x, new float[5], new float[4], new float[5]));
    }

    private static float[] Filled(int length)
    {
        var values = new float[length];
        Array.Fill(values, Sentinel);
        return values;
    }
}
