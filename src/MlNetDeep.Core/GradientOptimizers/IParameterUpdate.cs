using MlNetDeep.Compute;

namespace MlNetDeep.GradientOptimizers;

/// <summary>
/// The per-element rule of an optimizer step as a small operator: given a parameter <c>p</c>, its gradient
/// <c>g</c> and up to two state values, returns the new parameter and updates the state in place.
/// <see cref="ParameterUpdateLoop"/> runs it over whole spans with the widest accelerated vector width.
/// Implementations mark every <c>Invoke</c> for aggressive inlining: a rule the size of Adam's is otherwise called once
/// per vector, its operands passed through memory, which made the step 1.8 times slower.
/// </summary>
internal interface IParameterUpdate
{
    /// <summary>How many state arrays the rule reads and writes (0, 1 or 2).</summary>
    static abstract int StateCount { get; }

    /// <summary>The scalar rule.</summary>
    float Invoke(float p, float g, ref float s0, ref float s1);

    /// <summary>The rule on every lane of vectors of any width.</summary>
    TVec Invoke<TVec>(TVec p, TVec g, ref TVec s0, ref TVec s1)
        where TVec : struct, ISimd<TVec>;
}
