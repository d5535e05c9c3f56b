using MlNetDeep.ActivationFunctions;
using Xunit;

namespace MlNetDeep.Tests.ActivationFunctions;

/// <summary>
/// An elementwise kernel must give the same result for the same input wherever the element sits (vector
/// lane, narrower vector or scalar tail): otherwise units that start equal drift apart by rounding, and a
/// network's output would depend on the batch size.
/// </summary>
public class PositionInvarianceTests
{
    public static TheoryData<Activation> Elementwise()
    {
        var data = new TheoryData<Activation>();
        foreach (var kind in Enum.GetValues<Activation>().Where(a => a != Activation.PReLU))
        {
            data.Add(kind);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Elementwise))]
    public void EqualInputsGiveEqualOutputsAtEveryPosition(Activation kind)
    {
        var function = ActivationFunction.Create(kind);
        foreach (var value in new[] { -3.7f, -0.61f, 0.013f, 0.42f, 1.9f, 7.3f })
        {
            for (var length = 1; length <= 70; length++)
            {
                var x = Enumerable.Repeat(value, length).ToArray();
                var y = new float[length];
                var dy = Enumerable.Repeat(0.37f, length).ToArray();
                var dx = new float[length];
                function.Forward(x, y);
                function.Backward(x, y, dy, dx);
                var single = new float[1];
                var singleDx = new float[1];
                function.Forward(x.AsSpan(0, 1), single);
                function.Backward(x.AsSpan(0, 1), single, dy.AsSpan(0, 1), singleDx);
                Assert.All(y, v => Assert.Equal(y[0], v));
                Assert.All(dx, v => Assert.Equal(dx[0], v));
                Assert.True(y[0] == single[0], $"{kind}({value}) at length {length}: {y[0]:R} in a vector, {single[0]:R} alone");
                Assert.True(dx[0] == singleDx[0], $"{kind}'({value}) at length {length}: {dx[0]:R} in a vector, {singleDx[0]:R} alone");
            }
        }
    }
    [Theory]
    [InlineData(Activation.Linear, 0f)]
    [InlineData(Activation.Tanh, 0f)]
    [InlineData(Activation.Softsign, 0f)]
    [InlineData(Activation.ReLU, 0f)]
    [InlineData(Activation.LeakyReLU, 0f)]
    [InlineData(Activation.ELU, 0f)]
    [InlineData(Activation.SELU, 0f)]
    [InlineData(Activation.GELU, 0f)]
    [InlineData(Activation.SiLU, 0f)]
    [InlineData(Activation.Mish, 0f)]
    [InlineData(Activation.Sigmoid, 0.5f)]
    [InlineData(Activation.HardSigmoid, 0.5f)]
    public void ValueAtZeroIsExact(Activation kind, float expected)
    {
        // A network initialized with zeros must see exactly these values, or the "units that learn nothing"
        // case leaks a gradient that Adam then scales up.
        var y = new float[37];
        ActivationFunction.Create(kind).Forward(new float[37], y);
        Assert.All(y, v => Assert.Equal(expected, v));
    }

    [Theory]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Softsign)]
    public void OddFunctionsAreExactlyOdd(Activation kind)
    {
        var x = Enumerable.Range(1, 64).Select(i => i * 0.173f).ToArray();
        var positive = new float[64];
        var negative = new float[64];
        var function = ActivationFunction.Create(kind);
        function.Forward(x, positive);
        function.Forward(x.Select(v => -v).ToArray(), negative);
        Assert.Equal(positive.Select(v => -v).ToArray(), negative);
    }
}
