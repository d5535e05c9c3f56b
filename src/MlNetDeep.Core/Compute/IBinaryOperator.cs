using System.Runtime.Intrinsics;

namespace MlNetDeep.Compute;

/// <summary>
/// An elementwise function <c>d = f(a, b)</c> at every vector width, run by <see cref="Elementwise.Binary{TOperator}"/>
/// (for example an activation's backward pass from its input and the output gradient).
/// </summary>
internal interface IBinaryOperator
{
    /// <summary>The function on one pair of values.</summary>
    float Invoke(float a, float b);

    /// <summary>The function on 4 lanes.</summary>
    Vector128<float> Invoke(Vector128<float> a, Vector128<float> b);

    /// <summary>The function on 8 lanes.</summary>
    Vector256<float> Invoke(Vector256<float> a, Vector256<float> b);

    /// <summary>The function on 16 lanes.</summary>
    Vector512<float> Invoke(Vector512<float> a, Vector512<float> b);
}
