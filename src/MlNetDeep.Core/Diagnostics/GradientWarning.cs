namespace MlNetDeep.Diagnostics;

/// <summary>What is wrong with a layer's gradients.</summary>
public enum GradientProblem
{
    /// <summary>The gradient norm is tiny, absolutely or next to the last hidden block's: the layer barely learns.</summary>
    Vanishing,

    /// <summary>The gradient norm is huge, infinite or NaN: training is unstable.</summary>
    Exploding,
}

/// <summary>A gradient problem found in one block in one epoch, with a sentence describing it.</summary>
/// <param name="Epoch">The epoch (0 is the initial state).</param>
/// <param name="Block">The hidden block.</param>
/// <param name="Problem">Vanishing or exploding.</param>
/// <param name="GradientNorm">The block's gradient norm that epoch.</param>
/// <param name="Message">What was found, with the numbers and the threshold crossed.</param>
public sealed record GradientWarning(int Epoch, int Block, GradientProblem Problem, double GradientNorm, string Message);
