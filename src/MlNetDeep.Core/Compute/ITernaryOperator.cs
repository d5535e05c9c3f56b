using System.Runtime.Intrinsics;

namespace MlNetDeep.Compute;

/// <summary>
/// An elementwise function <c>d = f(a, b, c)</c> at every vector width, run by <see cref="Elementwise.Ternary{TOperator}"/>
/// (for example a backward pass from the input, a per-unit parameter and the output gradient, or an
/// accumulation <c>c += g(a, b)</c> with the destination aliasing <c>c</c>).
/// </summary>
internal interface ITernaryOperator
{
    /// <summary>The function on one triple of values.</summary>
    float Invoke(float a, float b, float c);

    /// <summary>The function on 4 lanes.</summary>
    Vector128<float> Invoke(Vector128<float> a, Vector128<float> b, Vector128<float> c);

    /// <summary>The function on 8 lanes.</summary>
    Vector256<float> Invoke(Vector256<float> a, Vector256<float> b, Vector256<float> c);

    /// <summary>The function on 16 lanes.</summary>
    Vector512<float> Invoke(Vector512<float> a, Vector512<float> b, Vector512<float> c);
}
