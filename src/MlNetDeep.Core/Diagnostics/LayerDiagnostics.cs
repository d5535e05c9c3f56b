namespace MlNetDeep.Diagnostics;

/// <summary>
/// What the diagnostics measured in one hidden block during one epoch (epoch 0 is the network as
/// initialized). Means and standard deviations are over every value (rows × units) of the sampled batches,
/// in training mode (batch norm uses batch statistics); the standard deviation is the population one.
/// </summary>
/// <param name="Epoch">The epoch, from 1; 0 for the initial state.</param>
/// <param name="Block">The hidden block, from 0 (the <c>i</c> of <c>layers.i.weight</c>).</param>
/// <param name="Activation">The block's activation.</param>
/// <param name="Normalization">The block's normalization.</param>
/// <param name="Units">The block's width.</param>
/// <param name="Rows">Rows the activation statistics were accumulated over.</param>
/// <param name="PreActivationMean">Mean of the values entering the activation (the normalization's output, or the dense output without one).</param>
/// <param name="PreActivationStd">Standard deviation of those values.</param>
/// <param name="ActivationMean">Mean of the activation's output (before dropout).</param>
/// <param name="ActivationStd">Standard deviation of the activation's output.</param>
/// <param name="GradientNorm">
/// The L2 norm of the loss gradient with respect to all the block's parameters (weight, bias, γ, β, PReLU
/// slopes), before clipping and without weight decay, averaged over the sampled steps. NaN when a gradient was.
/// </param>
/// <param name="WeightNorm">The L2 (Frobenius) norm of the block's dense weight at the end of the epoch.</param>
/// <param name="UpdateRatio">
/// ‖W_end − W_start‖ / ‖W_end‖ for the block's dense weight over the whole epoch, not per step (null for
/// epoch 0): how far one epoch moved the weights relative to their size.
/// </param>
/// <param name="DeadFraction">
/// The share of units that were never active on any sampled row: for ReLU and thresholded ReLU, output ≤ 0
/// on every row; for the other ReLU-family activations (leaky ReLU, PReLU, ELU, SELU, GELU, SiLU, Mish,
/// softplus), pre-activation ≤ 0 on every row (the unit never left its negative regime). Null for the
/// others.
/// </param>
/// <param name="SaturatedFraction">
/// For sigmoid, hard sigmoid, tanh and softsign: the share of output values (rows × units) within
/// <see cref="DiagnosticsSettings.SaturationMargin"/> of an asymptote. Null for the others.
/// </param>
/// <param name="RunningMeanAverage">Batch norm only: the mean over units of <c>running_mean</c> at the end of the epoch.</param>
/// <param name="RunningVarianceAverage">Batch norm only: the mean over units of <c>running_var</c> at the end of the epoch.</param>
public sealed record LayerDiagnostics(
    int Epoch,
    int Block,
    Activation Activation,
    Normalization Normalization,
    int Units,
    long Rows,
    double PreActivationMean,
    double PreActivationStd,
    double ActivationMean,
    double ActivationStd,
    double GradientNorm,
    double WeightNorm,
    double? UpdateRatio,
    double? DeadFraction,
    double? SaturatedFraction,
    double? RunningMeanAverage,
    double? RunningVarianceAverage);
