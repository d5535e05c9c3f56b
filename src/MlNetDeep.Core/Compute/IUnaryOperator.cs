namespace MlNetDeep.Compute;

/// <summary>
/// An elementwise function <c>d = f(a)</c>, run by <see cref="Elementwise.Unary{TOperator}"/>.
/// Implementations are small <c>readonly struct</c>s so the generic loop is specialized and the calls inline; the vector
/// form is written once for every width, and the scalar form handles the tail and must compute the same function.
/// </summary>
internal interface IUnaryOperator
{
    /// <summary>The function on one value.</summary>
    float Invoke(float a);

    /// <summary>The function on every lane of a vector of any width.</summary>
    TVec Invoke<TVec>(TVec a)
        where TVec : struct, ISimd<TVec>;
}
