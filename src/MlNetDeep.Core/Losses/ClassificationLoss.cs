namespace MlNetDeep.Losses;

/// <summary>A loss on logits that also scores predictions, for validation accuracy.</summary>
internal abstract class ClassificationLoss : LossFunction
{
    /// <summary>Sets the number of logits per example.</summary>
    protected ClassificationLoss(int outputSize)
        : base(outputSize)
    {
    }

    /// <summary>
    /// Counts the correct predictions in the batch (unweighted): the arg-max class for softmax, the sign of each
    /// logit against a target above one half for sigmoid outputs.
    /// </summary>
    public abstract int CountCorrect(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, int batch);
}
