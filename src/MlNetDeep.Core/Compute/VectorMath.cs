using System.Runtime.Intrinsics;

namespace MlNetDeep.Compute;

/// <summary>
/// Vectorized special functions shared by the activation operators, each at one scalar and three vector
/// widths computing the same formula (so the scalar tail agrees with the vector body to an ulp or two).
/// </summary>
/// <remarks>
/// <para><see cref="Expm1(float)"/>: <c>e^v − 1</c>, by its Taylor series to degree 8 for <c>|v| &lt; 0.5</c>
/// (relative error below 2e-8) and by <c>e^v − 1</c> elsewhere, so it keeps full relative accuracy near zero.</para>
/// <para><see cref="Log1pUnit(float)"/>: <c>log(1 + e)</c> for <c>e ∈ [0, 1]</c>, as <c>log(w)·e/(w − 1)</c> with
/// <c>w = 1 + e</c>, which cancels the rounding of <c>w</c>, so tiny <c>e</c> keep their relative accuracy.</para>
/// <para><see cref="NormalCdf(float, out float)"/>: Φ(x) = ½·erfc(−x/√2). With <c>t = |x|/√2</c>, the scaled
/// complementary error function <c>erfcx(t) = e^(t²)·erfc(t)</c> is smooth in <c>u = 1/(1 + t/2)</c> on (0, 1],
/// and a degree-10 polynomial in <c>u</c> (fitted for t ∈ [0, 10] by Chebyshev interpolation for this project, relative error
/// 3e-8 in exact arithmetic, about 1.2e-7 in float32) gives <c>erfc(t) = e^(−x²/2)·erfcx(t)</c> with relative
/// accuracy in both tails. Then Φ(x) = ½·erfc(t) for x ≤ −1 and 1 − ½·erfc(t) for x ≥ 1; for |x| &lt; 1 a
/// Maclaurin series of degree 15 gives Φ(x) = ½ + x·S(x²) directly. The absolute error of Φ stays below 1e-7
/// (measured 7e-8 on a 1e-4 grid over [−15, 15]) and its relative error in the far negative tail stays small.
/// <c>x²</c> is split into a rounded square and its remainder (one multiply-add, exact where the hardware fuses it) before the
/// exponential, which removes the error the rounding of <c>x²</c> would otherwise feed into <c>e^(−x²/2)</c>.</para>
/// </remarks>
internal static class VectorMath
{
    private const float Expm1SeriesLimit = 0.5f;
    private const float Expm1C2 = 1f / 2;
    private const float Expm1C3 = 1f / 6;
    private const float Expm1C4 = 1f / 24;
    private const float Expm1C5 = 1f / 120;
    private const float Expm1C6 = 1f / 720;
    private const float Expm1C7 = 1f / 5040;
    private const float Expm1C8 = 1f / 40320;

    // u = 1 / (1 + t/2) with t = |x|/√2, so the scale on |x| is 1/(2√2).
    private const float ErfcScale = 0.35355339059327373f;
    private const float ErfcX0 = 1.4414850410477292e-05f;
    private const float ErfcX1 = 0.28169744660421175f;
    private const float ErfcX2 = 0.28687131963635215f;
    private const float ErfcX3 = 0.21380631408816464f;
    private const float ErfcX4 = 0.3219461690720951f;
    private const float ErfcX5 = -0.3440099812900243f;
    private const float ErfcX6 = 0.8386282976738808f;
    private const float ErfcX7 = -1.137814675727038f;
    private const float ErfcX8 = 0.7609112477719104f;
    private const float ErfcX9 = -0.2583130017232258f;
    private const float ErfcX10 = 0.03626244895617641f;

    // e^80 is finite in float32 and σ'(z) below e^(−80) is zero for every practical purpose.
    private const float SigmoidExponentLimit = 80f;

    // Below |x| = 1, Φ(x) = ½ + x·S(x²) with S the Maclaurin series of ½·erf(x/√2)/x, whose first omitted
    // term is below 3e-9 there; this avoids forming Φ as 1 − ½·erfc near the centre, where that loses an ulp or two.
    private const float CentralLimit = 1f;
    private const float Central0 = 0.3989422804014327f;
    private const float Central1 = -0.06649038006690546f;
    private const float Central2 = 0.009973557010035817f;
    private const float Central3 = -0.0011873282154804545f;
    private const float Central4 = 0.00011543468761615529f;
    private const float Central5 = -9.444656259503615e-06f;
    private const float Central6 = 6.659693516316651e-07f;
    private const float Central7 = -4.122667414862689e-08f;

    // Beyond |x| = 20 the Gaussian e^(−x²/2) is zero in float32; clamping keeps infinite inputs from making NaN.
    private const float GaussianLimit = 20f;

    /// <summary>1/√(2π), which turns <c>e^(−x²/2)</c> into the standard normal density φ(x).</summary>
    public const float InverseSqrtTwoPi = 0.3989422804014327f;

    /// <summary>The logistic sigmoid <c>1 / (1 + e^(−z))</c>; exact limits 0 and 1 for large |z|.</summary>
    public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));

    /// <summary>
    /// The sigmoid <c>s = σ(z)</c> with its derivative <c>σ'(z) = s(1 − s)</c>, computed as <c>e·s·s</c> with
    /// <c>e = e^(−z)</c> (no cancellation when s is near 1); the exponent is capped at 80 so a very negative z
    /// gives a tiny derivative instead of ∞·0.
    /// </summary>
    public static float SigmoidWithDerivative(float z, out float derivative)
    {
        var e = MathF.Exp(MathF.Min(-z, SigmoidExponentLimit));
        var s = 1f / (1f + e);
        derivative = e * s * s;
        return s;
    }

    /// <summary><c>e^v − 1</c>, accurate near zero.</summary>
    public static float Expm1(float v)
    {
        if (MathF.Abs(v) < Expm1SeriesLimit)
        {
            var series = float.MultiplyAddEstimate(Expm1C8, v, Expm1C7);
            series = float.MultiplyAddEstimate(series, v, Expm1C6);
            series = float.MultiplyAddEstimate(series, v, Expm1C5);
            series = float.MultiplyAddEstimate(series, v, Expm1C4);
            series = float.MultiplyAddEstimate(series, v, Expm1C3);
            series = float.MultiplyAddEstimate(series, v, Expm1C2);
            return float.MultiplyAddEstimate(series, v, 1f) * v;
        }

        return MathF.Exp(v) - 1f;
    }

    /// <summary><c>log(1 + e)</c> for <c>e</c> in [0, 1], accurate for tiny <c>e</c>.</summary>
    public static float Log1pUnit(float e)
    {
        var w = 1f + e;
        return w == 1f ? e : MathF.Log(w) * (e / (w - 1f));
    }

    /// <summary>The standard normal CDF Φ(x); <paramref name="gaussian"/> receives <c>e^(−x²/2)</c>.</summary>
    public static float NormalCdf(float x, out float gaussian)
    {
        var ax = MathF.Abs(x);
        var u = 1f / float.MultiplyAddEstimate(ax, ErfcScale, 1f);
        var g = float.MultiplyAddEstimate(ErfcX10, u, ErfcX9);
        g = float.MultiplyAddEstimate(g, u, ErfcX8);
        g = float.MultiplyAddEstimate(g, u, ErfcX7);
        g = float.MultiplyAddEstimate(g, u, ErfcX6);
        g = float.MultiplyAddEstimate(g, u, ErfcX5);
        g = float.MultiplyAddEstimate(g, u, ErfcX4);
        g = float.MultiplyAddEstimate(g, u, ErfcX3);
        g = float.MultiplyAddEstimate(g, u, ErfcX2);
        g = float.MultiplyAddEstimate(g, u, ErfcX1);
        g = float.MultiplyAddEstimate(g, u, ErfcX0);
        var ac = MathF.Min(ax, GaussianLimit);
        var square = ac * ac;
        var squareLow = float.MultiplyAddEstimate(ac, ac, -square);
        gaussian = MathF.Exp(square * -0.5f) * float.MultiplyAddEstimate(squareLow, -0.5f, 1f);
        var tail = 0.5f * gaussian * g;
        if (ax < CentralLimit)
        {
            var x2 = x * x;
            var series = float.MultiplyAddEstimate(Central7, x2, Central6);
            series = float.MultiplyAddEstimate(series, x2, Central5);
            series = float.MultiplyAddEstimate(series, x2, Central4);
            series = float.MultiplyAddEstimate(series, x2, Central3);
            series = float.MultiplyAddEstimate(series, x2, Central2);
            series = float.MultiplyAddEstimate(series, x2, Central1);
            series = float.MultiplyAddEstimate(series, x2, Central0);
            return float.MultiplyAddEstimate(x, series, 0.5f);
        }

        return x < 0f ? tail : 1f - tail;
    }

    /// <summary>The logistic sigmoid <c>1 / (1 + e^(−z))</c> on 4 lanes.</summary>
    public static Vector128<float> Sigmoid(Vector128<float> z) => Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-z));

    /// <summary>σ(z) and σ'(z) on 4 lanes, as <see cref="SigmoidWithDerivative(float, out float)"/>.</summary>
    public static Vector128<float> SigmoidWithDerivative(Vector128<float> z, out Vector128<float> derivative)
    {
        var e = Vector128.Exp(Vector128.Min(-z, Vector128.Create(SigmoidExponentLimit)));
        var s = Vector128<float>.One / (Vector128<float>.One + e);
        derivative = e * s * s;
        return s;
    }

    /// <summary><c>e^v − 1</c> on 4 lanes.</summary>
    public static Vector128<float> Expm1(Vector128<float> v)
    {
        var series = Vector128.MultiplyAddEstimate(Vector128.Create(Expm1C8), v, Vector128.Create(Expm1C7));
        series = Vector128.MultiplyAddEstimate(series, v, Vector128.Create(Expm1C6));
        series = Vector128.MultiplyAddEstimate(series, v, Vector128.Create(Expm1C5));
        series = Vector128.MultiplyAddEstimate(series, v, Vector128.Create(Expm1C4));
        series = Vector128.MultiplyAddEstimate(series, v, Vector128.Create(Expm1C3));
        series = Vector128.MultiplyAddEstimate(series, v, Vector128.Create(Expm1C2));
        series = Vector128.MultiplyAddEstimate(series, v, Vector128<float>.One) * v;
        var direct = Vector128.Exp(v) - Vector128<float>.One;
        return Vector128.ConditionalSelect(Vector128.LessThan(Vector128.Abs(v), Vector128.Create(Expm1SeriesLimit)), series, direct);
    }

    /// <summary><c>log(1 + e)</c> for <c>e</c> in [0, 1] on 4 lanes.</summary>
    public static Vector128<float> Log1pUnit(Vector128<float> e)
    {
        var w = Vector128<float>.One + e;
        var log = Vector128.Log(w) * (e / (w - Vector128<float>.One));
        return Vector128.ConditionalSelect(Vector128.Equals(w, Vector128<float>.One), e, log);
    }

    /// <summary>The standard normal CDF Φ(x) on 4 lanes; <paramref name="gaussian"/> receives <c>e^(−x²/2)</c>.</summary>
    public static Vector128<float> NormalCdf(Vector128<float> x, out Vector128<float> gaussian)
    {
        var ax = Vector128.Abs(x);
        var u = Vector128<float>.One / Vector128.MultiplyAddEstimate(ax, Vector128.Create(ErfcScale), Vector128<float>.One);
        var g = Vector128.MultiplyAddEstimate(Vector128.Create(ErfcX10), u, Vector128.Create(ErfcX9));
        g = Vector128.MultiplyAddEstimate(g, u, Vector128.Create(ErfcX8));
        g = Vector128.MultiplyAddEstimate(g, u, Vector128.Create(ErfcX7));
        g = Vector128.MultiplyAddEstimate(g, u, Vector128.Create(ErfcX6));
        g = Vector128.MultiplyAddEstimate(g, u, Vector128.Create(ErfcX5));
        g = Vector128.MultiplyAddEstimate(g, u, Vector128.Create(ErfcX4));
        g = Vector128.MultiplyAddEstimate(g, u, Vector128.Create(ErfcX3));
        g = Vector128.MultiplyAddEstimate(g, u, Vector128.Create(ErfcX2));
        g = Vector128.MultiplyAddEstimate(g, u, Vector128.Create(ErfcX1));
        g = Vector128.MultiplyAddEstimate(g, u, Vector128.Create(ErfcX0));
        var ac = Vector128.Min(ax, Vector128.Create(GaussianLimit));
        var square = ac * ac;
        var squareLow = Vector128.MultiplyAddEstimate(ac, ac, -square);
        gaussian = Vector128.Exp(square * Vector128.Create(-0.5f)) * Vector128.MultiplyAddEstimate(squareLow, Vector128.Create(-0.5f), Vector128<float>.One);
        var tail = Vector128.Create(0.5f) * gaussian * g;
        var x2 = x * x;
        var series = Vector128.MultiplyAddEstimate(Vector128.Create(Central7), x2, Vector128.Create(Central6));
        series = Vector128.MultiplyAddEstimate(series, x2, Vector128.Create(Central5));
        series = Vector128.MultiplyAddEstimate(series, x2, Vector128.Create(Central4));
        series = Vector128.MultiplyAddEstimate(series, x2, Vector128.Create(Central3));
        series = Vector128.MultiplyAddEstimate(series, x2, Vector128.Create(Central2));
        series = Vector128.MultiplyAddEstimate(series, x2, Vector128.Create(Central1));
        series = Vector128.MultiplyAddEstimate(series, x2, Vector128.Create(Central0));
        var central = Vector128.MultiplyAddEstimate(x, series, Vector128.Create(0.5f));
        var outer = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), tail, Vector128<float>.One - tail);
        return Vector128.ConditionalSelect(Vector128.LessThan(ax, Vector128.Create(CentralLimit)), central, outer);
    }

    /// <summary>The logistic sigmoid <c>1 / (1 + e^(−z))</c> on 8 lanes.</summary>
    public static Vector256<float> Sigmoid(Vector256<float> z) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-z));

    /// <summary>σ(z) and σ'(z) on 8 lanes, as <see cref="SigmoidWithDerivative(float, out float)"/>.</summary>
    public static Vector256<float> SigmoidWithDerivative(Vector256<float> z, out Vector256<float> derivative)
    {
        var e = Vector256.Exp(Vector256.Min(-z, Vector256.Create(SigmoidExponentLimit)));
        var s = Vector256<float>.One / (Vector256<float>.One + e);
        derivative = e * s * s;
        return s;
    }

    /// <summary><c>e^v − 1</c> on 8 lanes.</summary>
    public static Vector256<float> Expm1(Vector256<float> v)
    {
        var series = Vector256.MultiplyAddEstimate(Vector256.Create(Expm1C8), v, Vector256.Create(Expm1C7));
        series = Vector256.MultiplyAddEstimate(series, v, Vector256.Create(Expm1C6));
        series = Vector256.MultiplyAddEstimate(series, v, Vector256.Create(Expm1C5));
        series = Vector256.MultiplyAddEstimate(series, v, Vector256.Create(Expm1C4));
        series = Vector256.MultiplyAddEstimate(series, v, Vector256.Create(Expm1C3));
        series = Vector256.MultiplyAddEstimate(series, v, Vector256.Create(Expm1C2));
        series = Vector256.MultiplyAddEstimate(series, v, Vector256<float>.One) * v;
        var direct = Vector256.Exp(v) - Vector256<float>.One;
        return Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(v), Vector256.Create(Expm1SeriesLimit)), series, direct);
    }

    /// <summary><c>log(1 + e)</c> for <c>e</c> in [0, 1] on 8 lanes.</summary>
    public static Vector256<float> Log1pUnit(Vector256<float> e)
    {
        var w = Vector256<float>.One + e;
        var log = Vector256.Log(w) * (e / (w - Vector256<float>.One));
        return Vector256.ConditionalSelect(Vector256.Equals(w, Vector256<float>.One), e, log);
    }

    /// <summary>The standard normal CDF Φ(x) on 8 lanes; <paramref name="gaussian"/> receives <c>e^(−x²/2)</c>.</summary>
    public static Vector256<float> NormalCdf(Vector256<float> x, out Vector256<float> gaussian)
    {
        var ax = Vector256.Abs(x);
        var u = Vector256<float>.One / Vector256.MultiplyAddEstimate(ax, Vector256.Create(ErfcScale), Vector256<float>.One);
        var g = Vector256.MultiplyAddEstimate(Vector256.Create(ErfcX10), u, Vector256.Create(ErfcX9));
        g = Vector256.MultiplyAddEstimate(g, u, Vector256.Create(ErfcX8));
        g = Vector256.MultiplyAddEstimate(g, u, Vector256.Create(ErfcX7));
        g = Vector256.MultiplyAddEstimate(g, u, Vector256.Create(ErfcX6));
        g = Vector256.MultiplyAddEstimate(g, u, Vector256.Create(ErfcX5));
        g = Vector256.MultiplyAddEstimate(g, u, Vector256.Create(ErfcX4));
        g = Vector256.MultiplyAddEstimate(g, u, Vector256.Create(ErfcX3));
        g = Vector256.MultiplyAddEstimate(g, u, Vector256.Create(ErfcX2));
        g = Vector256.MultiplyAddEstimate(g, u, Vector256.Create(ErfcX1));
        g = Vector256.MultiplyAddEstimate(g, u, Vector256.Create(ErfcX0));
        var ac = Vector256.Min(ax, Vector256.Create(GaussianLimit));
        var square = ac * ac;
        var squareLow = Vector256.MultiplyAddEstimate(ac, ac, -square);
        gaussian = Vector256.Exp(square * Vector256.Create(-0.5f)) * Vector256.MultiplyAddEstimate(squareLow, Vector256.Create(-0.5f), Vector256<float>.One);
        var tail = Vector256.Create(0.5f) * gaussian * g;
        var x2 = x * x;
        var series = Vector256.MultiplyAddEstimate(Vector256.Create(Central7), x2, Vector256.Create(Central6));
        series = Vector256.MultiplyAddEstimate(series, x2, Vector256.Create(Central5));
        series = Vector256.MultiplyAddEstimate(series, x2, Vector256.Create(Central4));
        series = Vector256.MultiplyAddEstimate(series, x2, Vector256.Create(Central3));
        series = Vector256.MultiplyAddEstimate(series, x2, Vector256.Create(Central2));
        series = Vector256.MultiplyAddEstimate(series, x2, Vector256.Create(Central1));
        series = Vector256.MultiplyAddEstimate(series, x2, Vector256.Create(Central0));
        var central = Vector256.MultiplyAddEstimate(x, series, Vector256.Create(0.5f));
        var outer = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), tail, Vector256<float>.One - tail);
        return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(CentralLimit)), central, outer);
    }

    /// <summary>The logistic sigmoid <c>1 / (1 + e^(−z))</c> on 16 lanes.</summary>
    public static Vector512<float> Sigmoid(Vector512<float> z) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-z));

    /// <summary>σ(z) and σ'(z) on 16 lanes, as <see cref="SigmoidWithDerivative(float, out float)"/>.</summary>
    public static Vector512<float> SigmoidWithDerivative(Vector512<float> z, out Vector512<float> derivative)
    {
        var e = Vector512.Exp(Vector512.Min(-z, Vector512.Create(SigmoidExponentLimit)));
        var s = Vector512<float>.One / (Vector512<float>.One + e);
        derivative = e * s * s;
        return s;
    }

    /// <summary><c>e^v − 1</c> on 16 lanes.</summary>
    public static Vector512<float> Expm1(Vector512<float> v)
    {
        var series = Vector512.MultiplyAddEstimate(Vector512.Create(Expm1C8), v, Vector512.Create(Expm1C7));
        series = Vector512.MultiplyAddEstimate(series, v, Vector512.Create(Expm1C6));
        series = Vector512.MultiplyAddEstimate(series, v, Vector512.Create(Expm1C5));
        series = Vector512.MultiplyAddEstimate(series, v, Vector512.Create(Expm1C4));
        series = Vector512.MultiplyAddEstimate(series, v, Vector512.Create(Expm1C3));
        series = Vector512.MultiplyAddEstimate(series, v, Vector512.Create(Expm1C2));
        series = Vector512.MultiplyAddEstimate(series, v, Vector512<float>.One) * v;
        var direct = Vector512.Exp(v) - Vector512<float>.One;
        return Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(v), Vector512.Create(Expm1SeriesLimit)), series, direct);
    }

    /// <summary><c>log(1 + e)</c> for <c>e</c> in [0, 1] on 16 lanes.</summary>
    public static Vector512<float> Log1pUnit(Vector512<float> e)
    {
        var w = Vector512<float>.One + e;
        var log = Vector512.Log(w) * (e / (w - Vector512<float>.One));
        return Vector512.ConditionalSelect(Vector512.Equals(w, Vector512<float>.One), e, log);
    }

    /// <summary>The standard normal CDF Φ(x) on 16 lanes; <paramref name="gaussian"/> receives <c>e^(−x²/2)</c>.</summary>
    public static Vector512<float> NormalCdf(Vector512<float> x, out Vector512<float> gaussian)
    {
        var ax = Vector512.Abs(x);
        var u = Vector512<float>.One / Vector512.MultiplyAddEstimate(ax, Vector512.Create(ErfcScale), Vector512<float>.One);
        var g = Vector512.MultiplyAddEstimate(Vector512.Create(ErfcX10), u, Vector512.Create(ErfcX9));
        g = Vector512.MultiplyAddEstimate(g, u, Vector512.Create(ErfcX8));
        g = Vector512.MultiplyAddEstimate(g, u, Vector512.Create(ErfcX7));
        g = Vector512.MultiplyAddEstimate(g, u, Vector512.Create(ErfcX6));
        g = Vector512.MultiplyAddEstimate(g, u, Vector512.Create(ErfcX5));
        g = Vector512.MultiplyAddEstimate(g, u, Vector512.Create(ErfcX4));
        g = Vector512.MultiplyAddEstimate(g, u, Vector512.Create(ErfcX3));
        g = Vector512.MultiplyAddEstimate(g, u, Vector512.Create(ErfcX2));
        g = Vector512.MultiplyAddEstimate(g, u, Vector512.Create(ErfcX1));
        g = Vector512.MultiplyAddEstimate(g, u, Vector512.Create(ErfcX0));
        var ac = Vector512.Min(ax, Vector512.Create(GaussianLimit));
        var square = ac * ac;
        var squareLow = Vector512.MultiplyAddEstimate(ac, ac, -square);
        gaussian = Vector512.Exp(square * Vector512.Create(-0.5f)) * Vector512.MultiplyAddEstimate(squareLow, Vector512.Create(-0.5f), Vector512<float>.One);
        var tail = Vector512.Create(0.5f) * gaussian * g;
        var x2 = x * x;
        var series = Vector512.MultiplyAddEstimate(Vector512.Create(Central7), x2, Vector512.Create(Central6));
        series = Vector512.MultiplyAddEstimate(series, x2, Vector512.Create(Central5));
        series = Vector512.MultiplyAddEstimate(series, x2, Vector512.Create(Central4));
        series = Vector512.MultiplyAddEstimate(series, x2, Vector512.Create(Central3));
        series = Vector512.MultiplyAddEstimate(series, x2, Vector512.Create(Central2));
        series = Vector512.MultiplyAddEstimate(series, x2, Vector512.Create(Central1));
        series = Vector512.MultiplyAddEstimate(series, x2, Vector512.Create(Central0));
        var central = Vector512.MultiplyAddEstimate(x, series, Vector512.Create(0.5f));
        var outer = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), tail, Vector512<float>.One - tail);
        return Vector512.ConditionalSelect(Vector512.LessThan(ax, Vector512.Create(CentralLimit)), central, outer);
    }
}
