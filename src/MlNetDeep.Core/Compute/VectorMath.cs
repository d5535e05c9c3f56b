using System.Runtime.CompilerServices;

namespace MlNetDeep.Compute;

/// <summary>
/// Vectorized special functions shared by the activation operators, each at one scalar width and once generically over the vector
/// width, computing the same formula (so the scalar tail agrees with the vector body to an ulp or two).
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

    /// <summary>The logistic sigmoid <c>1 / (1 + e^(−z))</c> on every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Sigmoid<TVec>(TVec z)
        where TVec : struct, ISimd<TVec> => TVec.One / (TVec.One + TVec.Exp(-z));

    /// <summary>σ(z) and σ'(z) on every lane, as <see cref="SigmoidWithDerivative(float, out float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec SigmoidWithDerivative<TVec>(TVec z, out TVec derivative)
        where TVec : struct, ISimd<TVec>
    {
        var e = TVec.Exp(TVec.Min(-z, TVec.Create(SigmoidExponentLimit)));
        var s = TVec.One / (TVec.One + e);
        derivative = e * s * s;
        return s;
    }

    /// <summary><c>e^v − 1</c> on every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Expm1<TVec>(TVec v)
        where TVec : struct, ISimd<TVec>
    {
        var series = TVec.MultiplyAddEstimate(TVec.Create(Expm1C8), v, TVec.Create(Expm1C7));
        series = TVec.MultiplyAddEstimate(series, v, TVec.Create(Expm1C6));
        series = TVec.MultiplyAddEstimate(series, v, TVec.Create(Expm1C5));
        series = TVec.MultiplyAddEstimate(series, v, TVec.Create(Expm1C4));
        series = TVec.MultiplyAddEstimate(series, v, TVec.Create(Expm1C3));
        series = TVec.MultiplyAddEstimate(series, v, TVec.Create(Expm1C2));
        series = TVec.MultiplyAddEstimate(series, v, TVec.One) * v;
        var direct = TVec.Exp(v) - TVec.One;
        return TVec.ConditionalSelect(TVec.LessThan(TVec.Abs(v), TVec.Create(Expm1SeriesLimit)), series, direct);
    }

    /// <summary><c>log(1 + e)</c> for <c>e</c> in [0, 1] on every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Log1pUnit<TVec>(TVec e)
        where TVec : struct, ISimd<TVec>
    {
        var w = TVec.One + e;
        var log = TVec.Log(w) * (e / (w - TVec.One));
        return TVec.ConditionalSelect(TVec.Equals(w, TVec.One), e, log);
    }

    /// <summary>The standard normal CDF Φ(x) on every lane; <paramref name="gaussian"/> receives <c>e^(−x²/2)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec NormalCdf<TVec>(TVec x, out TVec gaussian)
        where TVec : struct, ISimd<TVec>
    {
        var ax = TVec.Abs(x);
        var u = TVec.One / TVec.MultiplyAddEstimate(ax, TVec.Create(ErfcScale), TVec.One);
        var g = TVec.MultiplyAddEstimate(TVec.Create(ErfcX10), u, TVec.Create(ErfcX9));
        g = TVec.MultiplyAddEstimate(g, u, TVec.Create(ErfcX8));
        g = TVec.MultiplyAddEstimate(g, u, TVec.Create(ErfcX7));
        g = TVec.MultiplyAddEstimate(g, u, TVec.Create(ErfcX6));
        g = TVec.MultiplyAddEstimate(g, u, TVec.Create(ErfcX5));
        g = TVec.MultiplyAddEstimate(g, u, TVec.Create(ErfcX4));
        g = TVec.MultiplyAddEstimate(g, u, TVec.Create(ErfcX3));
        g = TVec.MultiplyAddEstimate(g, u, TVec.Create(ErfcX2));
        g = TVec.MultiplyAddEstimate(g, u, TVec.Create(ErfcX1));
        g = TVec.MultiplyAddEstimate(g, u, TVec.Create(ErfcX0));
        var ac = TVec.Min(ax, TVec.Create(GaussianLimit));
        var square = ac * ac;
        var squareLow = TVec.MultiplyAddEstimate(ac, ac, -square);
        gaussian = TVec.Exp(square * TVec.Create(-0.5f)) * TVec.MultiplyAddEstimate(squareLow, TVec.Create(-0.5f), TVec.One);
        var tail = TVec.Create(0.5f) * gaussian * g;
        var x2 = x * x;
        var series = TVec.MultiplyAddEstimate(TVec.Create(Central7), x2, TVec.Create(Central6));
        series = TVec.MultiplyAddEstimate(series, x2, TVec.Create(Central5));
        series = TVec.MultiplyAddEstimate(series, x2, TVec.Create(Central4));
        series = TVec.MultiplyAddEstimate(series, x2, TVec.Create(Central3));
        series = TVec.MultiplyAddEstimate(series, x2, TVec.Create(Central2));
        series = TVec.MultiplyAddEstimate(series, x2, TVec.Create(Central1));
        series = TVec.MultiplyAddEstimate(series, x2, TVec.Create(Central0));
        var central = TVec.MultiplyAddEstimate(x, series, TVec.Create(0.5f));
        var outer = TVec.ConditionalSelect(TVec.LessThan(x, TVec.Zero), tail, TVec.One - tail);
        return TVec.ConditionalSelect(TVec.LessThan(ax, TVec.Create(CentralLimit)), central, outer);
    }
}
