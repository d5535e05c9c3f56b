using System.Runtime.Intrinsics;

namespace MlNetDeep.Compute;

/// <summary>
/// An elementwise function <c>d = f(a)</c> at every vector width, run by <see cref="Elementwise.Unary{TOperator}"/>.
/// Implementations are small <c>readonly struct</c>s so the generic loop is specialized and the calls inline;
/// the scalar form handles the tail and must compute the same function as the vector forms.
/// </summary>
internal interface IUnaryOperator
{
    /// <summary>The function on one value.</summary>
    float Invoke(float a);

    /// <summary>The function on 4 lanes.</summary>
    Vector128<float> Invoke(Vector128<float> a);

    /// <summary>The function on 8 lanes.</summary>
    Vector256<float> Invoke(Vector256<float> a);

    /// <summary>The function on 16 lanes.</summary>
    Vector512<float> Invoke(Vector512<float> a);
}
