using System.Numerics.Tensors;

namespace MlNetDeep.Training;

/// <summary>
/// The prediction of an ensemble's members, in the form of one network's output: multiclass <c>ln p̄</c> (whose softmax is
/// the members' mean probability <c>p̄</c>), binary the logit of the members' mean probability, regression the members'
/// mean value. A single member's output is returned as it is.
/// </summary>
internal static class EnsemblePrediction
{
    /// <summary>Writes into <paramref name="prediction"/> <c>[o]</c> the combination of the <paramref name="members"/> members' outputs <paramref name="output"/> <c>[k·o]</c>.</summary>
    public static void Combine(TaskKind task, ReadOnlySpan<float> output, int members, Span<float> prediction)
    {
        var size = prediction.Length;
        if (members == 1)
        {
            output[..size].CopyTo(prediction);
            return;
        }

        switch (task)
        {
            case TaskKind.Multiclass:
                prediction.Clear();
                for (var i = 0; i < members; i++)
                {
                    var logits = output.Slice(i * size, size);
                    var max = TensorPrimitives.Max(logits);
                    double sum = 0;
                    for (var c = 0; c < size; c++)
                    {
                        sum += Math.Exp(logits[c] - max);
                    }

                    for (var c = 0; c < size; c++)
                    {
                        prediction[c] += (float)(Math.Exp(logits[c] - max) / sum / members);
                    }
                }

                for (var c = 0; c < size; c++)
                {
                    prediction[c] = MathF.Log(Math.Max(prediction[c], float.Epsilon));
                }

                break;
            case TaskKind.Binary:
                double probability = 0;
                for (var i = 0; i < members; i++)
                {
                    probability += 1 / (1 + Math.Exp(-output[i])) / members;
                }

                probability = Math.Clamp(probability, 1e-15, 1 - 1e-15);
                prediction[0] = (float)Math.Log(probability / (1 - probability));
                break;
            default:
                double value = 0;
                for (var i = 0; i < members; i++)
                {
                    value += output[i];
                }

                prediction[0] = (float)(value / members);
                break;
        }
    }
}
