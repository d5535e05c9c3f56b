using MlNetDeep.Compute;
using Xunit;

namespace MlNetDeep.Tests.Compute;

/// <summary>The generic elementwise loops visit every element exactly once, at every length, in place too.</summary>
public class ElementwiseTests
{
    [Fact]
    public void EveryLengthVisitsEachElementOnceAndStopsAtTheEnd()
    {
        for (var length = 0; length <= 256; length++)
        {
            var a = new float[length + 2];
            var b = new float[length + 2];
            var c = new float[length + 2];
            for (var i = 0; i < a.Length; i++)
            {
                a[i] = i;
                b[i] = 1000 + i;
                c[i] = -i;
            }

            var unary = (float[])a.Clone();
            Elementwise.Unary(unary.AsSpan(0, length), unary.AsSpan(0, length), default(AddOne));
            var binary = (float[])c.Clone();
            Elementwise.Binary(a.AsSpan(0, length), b.AsSpan(0, length), binary.AsSpan(0, length), default(Sum2));
            var ternary = (float[])c.Clone();
            Elementwise.Ternary(a.AsSpan(0, length), b.AsSpan(0, length), ternary.AsSpan(0, length), ternary.AsSpan(0, length), default(Sum3));
            for (var i = 0; i < a.Length; i++)
            {
                var inside = i < length;
                Assert.Equal(inside ? i + 1 : i, unary[i]);
                Assert.Equal(inside ? 1000 + (2 * i) : -i, binary[i]);
                Assert.Equal(inside ? 1000 + i : -i, ternary[i]);
            }
        }
    }

    [Fact]
    public void MismatchedLengthsThrowWithTheReceivedLengths()
    {
        var error = Assert.Throws<ArgumentException>(() => Elementwise.Binary(new float[3], new float[4], new float[3], default(Sum2)));
        Assert.Contains("3, 4", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Elementwise.Unary(new float[3], new float[2], default(AddOne)));
        Assert.Throws<ArgumentException>(() => Elementwise.Ternary(new float[3], new float[3], new float[3], new float[5], default(Sum3)));
    }

    private readonly struct AddOne : IUnaryOperator
    {
        public float Invoke(float a) => a + 1;

        public TVec Invoke<TVec>(TVec a)
            where TVec : struct, ISimd<TVec> => a + TVec.One;
    }

    private readonly struct Sum2 : IBinaryOperator
    {
        public float Invoke(float a, float b) => a + b;

        public TVec Invoke<TVec>(TVec a, TVec b)
            where TVec : struct, ISimd<TVec> => a + b;
    }

    private readonly struct Sum3 : ITernaryOperator
    {
        public float Invoke(float a, float b, float c) => a + b + c;

        public TVec Invoke<TVec>(TVec a, TVec b, TVec c)
            where TVec : struct, ISimd<TVec> => a + b + c;
    }
}
