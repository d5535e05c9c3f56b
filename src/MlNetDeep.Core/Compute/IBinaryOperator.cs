namespace MlNetDeep.Compute;

/// <summary>
/// An elementwise function <c>d = f(a, b)</c>, run by <see cref="Elementwise.Binary{TOperator}"/>
/// (for example an activation's backward pass from its input and the output gradient).
/// </summary>
internal interface IBinaryOperator
{
    /// <summary>The function on one pair of values.</summary>
    float Invoke(float a, float b);

    /// <summary>The function on every lane of vectors of any width.</summary>
    TVec Invoke<TVec>(TVec a, TVec b)
        where TVec : struct, ISimd<TVec>;
}
