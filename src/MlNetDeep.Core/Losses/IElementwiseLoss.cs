using System.Runtime.Intrinsics;

namespace MlNetDeep.Losses;

/// <summary>
/// An elementwise loss <c>f(z, y)</c> of one output <c>z</c> and its target <c>y</c>, with <c>∂f/∂z</c>, as a small
/// operator run by <see cref="ElementwiseLossLoop"/>.
/// </summary>
internal interface IElementwiseLoss
{
    /// <summary>Returns <c>f(z, y)</c> and its derivative.</summary>
    float Invoke(float z, float y, out float derivative);

    /// <summary>The loss on 4 lanes.</summary>
    Vector128<float> Invoke(Vector128<float> z, Vector128<float> y, out Vector128<float> derivative);

    /// <summary>The loss on 8 lanes.</summary>
    Vector256<float> Invoke(Vector256<float> z, Vector256<float> y, out Vector256<float> derivative);

    /// <summary>The loss on 16 lanes.</summary>
    Vector512<float> Invoke(Vector512<float> z, Vector512<float> y, out Vector512<float> derivative);
}
