namespace MlNetDeep.Losses;

/// <summary>A loss on logits that also scores predictions, for validation accuracy.</summary>
internal abstract class ClassificationLoss : LossFunction
{
    /// <summary>Sets the number of logits per example and the label smoothing.</summary>
    /// <param name="outputSize">Logits per example.</param>
    /// <param name="labelSmoothing">The label smoothing ε in [0, 1); 0 trains on the labels as they are.</param>
    protected ClassificationLoss(int outputSize, float labelSmoothing)
        : base(outputSize)
    {
        if (!(labelSmoothing >= 0f && labelSmoothing < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), $"LabelSmoothing must be in [0, 1). Received: LabelSmoothing={labelSmoothing}.");
        }

        LabelSmoothing = labelSmoothing;
    }

    /// <summary>
    /// The label smoothing ε: the loss is the cross-entropy against targets moved by ε towards the uniform
    /// distribution over the classes (each loss says how). 0 leaves the targets, and the code path, as they are.
    /// </summary>
    public float LabelSmoothing { get; }

    /// <summary>
    /// Counts the correct predictions in the batch (unweighted): the arg-max class for softmax, the sign of each
    /// logit against a target above one half for sigmoid outputs.
    /// </summary>
    public abstract int CountCorrect(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, int batch);
}
