using MlNetDeep.Compute;

namespace MlNetDeep.Losses;

/// <summary>
/// An elementwise loss <c>f(z, y)</c> of one output <c>z</c> and its target <c>y</c>, with <c>∂f/∂z</c>, as a small
/// operator run by <see cref="ElementwiseLossLoop"/>.
/// </summary>
internal interface IElementwiseLoss
{
    /// <summary>Returns <c>f(z, y)</c> and its derivative.</summary>
    float Invoke(float z, float y, out float derivative);

    /// <summary>The loss on every lane of vectors of any width.</summary>
    TVec Invoke<TVec>(TVec z, TVec y, out TVec derivative)
        where TVec : struct, ISimd<TVec>;
}
