using MlNetDeep.Diagnostics;

namespace MlNetDeep;

/// <summary>
/// What the training diagnostics measured in one hidden layer during one epoch (epoch 0 is the network as
/// initialized); <see cref="FeedForwardDiagnostics.Records"/> has one per epoch and hidden layer. Means and standard
/// deviations are over every value (rows × units) of the epoch's mini-batches, in training mode (batch normalization
/// uses the batch's statistics); standard deviations are population ones.
/// </summary>
public sealed class FeedForwardLayerStatistics
{
    internal FeedForwardLayerStatistics(LayerDiagnostics record)
    {
        Epoch = record.Epoch;
        Layer = record.Block;
        Activation = record.Activation;
        Normalization = record.Normalization;
        Units = record.Units;
        Rows = record.Rows;
        PreActivationMean = record.PreActivationMean;
        PreActivationStd = record.PreActivationStd;
        ActivationMean = record.ActivationMean;
        ActivationStd = record.ActivationStd;
        GradientNorm = record.GradientNorm;
        WeightNorm = record.WeightNorm;
        UpdateRatio = record.UpdateRatio;
        DeadFraction = record.DeadFraction;
        SaturatedFraction = record.SaturatedFraction;
        RunningMeanAverage = record.RunningMeanAverage;
        RunningVarianceAverage = record.RunningVarianceAverage;
    }

    /// <summary>The epoch, from 1; 0 for the network as initialized.</summary>
    public int Epoch { get; }

    /// <summary>The hidden layer, from 0 (the <c>i</c> of <c>layers.i.weight</c> in <see cref="FeedForwardModelParameters.GetParameters"/>).</summary>
    public int Layer { get; }

    /// <summary>The layer's activation.</summary>
    public Activation Activation { get; }

    /// <summary>The layer's normalization.</summary>
    public Normalization Normalization { get; }

    /// <summary>The layer's number of units.</summary>
    public int Units { get; }

    /// <summary>The rows the activation statistics were accumulated over.</summary>
    public long Rows { get; }

    /// <summary>The mean of the values entering the activation (the normalization's output, or the linear map's without one).</summary>
    public double PreActivationMean { get; }

    /// <summary>The standard deviation of the values entering the activation.</summary>
    public double PreActivationStd { get; }

    /// <summary>The mean of the activation's output (before dropout).</summary>
    public double ActivationMean { get; }

    /// <summary>The standard deviation of the activation's output (before dropout).</summary>
    public double ActivationStd { get; }

    /// <summary>
    /// The L2 norm of the loss gradient with respect to all the layer's parameters, before clipping and without
    /// weight decay, averaged over the epoch's steps; NaN when a gradient was.
    /// </summary>
    public double GradientNorm { get; }

    /// <summary>The L2 (Frobenius) norm of the layer's weight matrix at the end of the epoch.</summary>
    public double WeightNorm { get; }

    /// <summary>
    /// ‖W_end − W_start‖ / ‖W_end‖ of the layer's weight matrix over the whole epoch: how far one epoch moved the
    /// weights relative to their size; null for epoch 0.
    /// </summary>
    public double? UpdateRatio { get; }

    /// <summary>
    /// For ReLU-family activations, the share of units never active on any row of the epoch (ReLU: output ≤ 0;
    /// leaky ReLU, PReLU, ELU, SELU, GELU, SiLU, Mish, softplus: pre-activation ≤ 0); null for other activations.
    /// </summary>
    public double? DeadFraction { get; }

    /// <summary>
    /// For sigmoid, hard sigmoid, tanh and softsign, the share of output values within 0.01 of an asymptote; null
    /// for other activations.
    /// </summary>
    public double? SaturatedFraction { get; }

    /// <summary>Batch normalization only: the mean over units of the running mean at the end of the epoch; else null.</summary>
    public double? RunningMeanAverage { get; }

    /// <summary>Batch normalization only: the mean over units of the running variance at the end of the epoch; else null.</summary>
    public double? RunningVarianceAverage { get; }

    /// <inheritdoc/>
    public override string ToString()
        => FormattableString.Invariant($"epoch {Epoch}, layer {Layer} ({Units} {Activation}): activation mean {ActivationMean:G4} std {ActivationStd:G4}, gradient norm {GradientNorm:G4}, weight norm {WeightNorm:G4}");
}
