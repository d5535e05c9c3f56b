namespace MlNetDeep.Compute;

/// <summary>
/// An elementwise function <c>d = f(a, b, c)</c>, run by <see cref="Elementwise.Ternary{TOperator}"/>
/// (for example a backward pass from the input, a per-unit parameter and the output gradient, or an
/// accumulation <c>c += g(a, b)</c> with the destination aliasing <c>c</c>).
/// </summary>
internal interface ITernaryOperator
{
    /// <summary>The function on one triple of values.</summary>
    float Invoke(float a, float b, float c);

    /// <summary>The function on every lane of vectors of any width.</summary>
    TVec Invoke<TVec>(TVec a, TVec b, TVec c)
        where TVec : struct, ISimd<TVec>;
}
