using MlNetDeep.Compute;

namespace MlNetDeep.Layers;

/// <summary>
/// Folds the fixed affine maps of an inference pass into the dense layers' weights, so scoring skips them: each batch
/// normalization (running statistics) goes into the dense layer before it, and the input standardization into the
/// first dense layer. Every dense layer of the result holds its own copy of its values, 64-byte aligned.
/// </summary>
/// <remarks>
/// <para>With <c>x' = (x − m)·s</c>, <c>z = x'·Wᵀ + b</c> and batch norm <c>y = g·z + h</c> (<c>g = γ/√(running_var + ε)</c>,
/// <c>h = β − g·running_mean</c>), the folded layer is <c>y = x·W'ᵀ + b'</c> with <c>W'[o, i] = g[o]·W[o, i]·s[i]</c> and
/// <c>b'[o] = g[o]·(b[o] − Σᵢ W[o, i]·s[i]·m[i]) + h[o]</c>, computed in double and rounded once.</para>
/// <para>The folded layer multiplies raw inputs: a feature whose mean is many standard deviations from zero enters
/// the product with its full magnitude, and the float rounding of the product grows with <c>|m·s|</c>. The
/// standardization is folded only while every feature's <c>|m·s|</c> is at most <see cref="MaxFoldedInputOffset"/>
/// (the error then stays within about that many roundings of a standardized input); otherwise it runs as its own pass.</para>
/// <para>Dropout layers stay (the identity at inference, sampled in Monte Carlo passes), and so does an input dropout
/// layer, before which the standardization is never folded. The folded layers own their values: they do not follow
/// later changes to the network.</para>
/// </remarks>
internal static class InferenceFolding
{
    /// <summary>The largest <c>|mean·scale|</c> of any feature for which the input standardization is folded.</summary>
    public const double MaxFoldedInputOffset = 64;

    /// <summary>
    /// Returns the inference layers of <paramref name="layers"/> with every batch normalization that follows a dense
    /// layer folded into it, and the input standardization folded into the first layer when that is a dense layer and
    /// the features allow it (<paramref name="standardizationFolded"/>). Dense layers with nothing to fold are copied.
    /// </summary>
    public static Layer[] Fold(IReadOnlyList<Layer> layers, ReadOnlySpan<float> inputMean, ReadOnlySpan<float> inputScale, out bool standardizationFolded)
        => Fold(layers, inputMean, inputScale, out standardizationFolded, out _);

    /// <summary>
    /// <see cref="Fold(IReadOnlyList{Layer}, ReadOnlySpan{float}, ReadOnlySpan{float}, out bool)"/>, also giving for every
    /// layer <c>l</c> of <paramref name="layers"/> the index <paramref name="foldedIndex"/>[l] of the folded layer that
    /// computes its output (a folded batch normalization's is its dense layer's).
    /// </summary>
    public static Layer[] Fold(IReadOnlyList<Layer> layers, ReadOnlySpan<float> inputMean, ReadOnlySpan<float> inputScale, out bool standardizationFolded, out int[] foldedIndex)
    {
        ArgumentNullException.ThrowIfNull(layers);
        standardizationFolded = layers.Count > 0 && layers[0] is Dense && CanFoldStandardization(inputMean, inputScale);
        var folded = new List<Layer>(layers.Count);
        foldedIndex = new int[layers.Count];
        for (var l = 0; l < layers.Count; l++)
        {
            var batchNorm = l + 1 < layers.Count ? layers[l + 1] as BatchNorm : null;
            var foldInput = l == 0 && standardizationFolded;
            foldedIndex[l] = folded.Count;
            if (layers[l] is not Dense dense)
            {
                folded.Add(layers[l]);
                continue;
            }

            folded.Add(FoldDense(dense, batchNorm, foldInput ? inputMean : [], foldInput ? inputScale : []));
            if (batchNorm is not null)
            {
                l++;
                foldedIndex[l] = folded.Count - 1;
            }
        }

        return [.. folded];
    }

    private static bool CanFoldStandardization(ReadOnlySpan<float> mean, ReadOnlySpan<float> scale)
    {
        for (var i = 0; i < mean.Length; i++)
        {
            var offset = (double)mean[i] * scale[i];
            if (!double.IsFinite(offset) || !float.IsFinite(scale[i]) || Math.Abs(offset) > MaxFoldedInputOffset)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A dense layer with bias computing <paramref name="dense"/>, then <paramref name="batchNorm"/> when given, on inputs
    /// standardized by <paramref name="mean"/> and <paramref name="scale"/> when given; with neither, an exact copy. Its
    /// values are 64-byte aligned (<see cref="AlignedStorage"/>), which scoring one row needs to read them at full speed.
    /// </summary>
    private static Dense FoldDense(Dense dense, BatchNorm? batchNorm, ReadOnlySpan<float> mean, ReadOnlySpan<float> scale)
    {
        int inputs = dense.InputSize, outputs = dense.OutputSize;
        ReadOnlySpan<float> weight = dense.Weight;
        ReadOnlySpan<float> bias = dense.Bias;
        var foldedWeight = AlignedStorage.Allocate(weight.Length);
        var foldedBias = AlignedStorage.Allocate(outputs);
        if (batchNorm is null && scale.IsEmpty)
        {
            // Nothing to fold: the layer's own values, copied to aligned storage.
            weight.CopyTo(foldedWeight);
            bias.CopyTo(foldedBias);
            return Bound(inputs, outputs, foldedWeight, foldedBias);
        }

        var normScale = new double[outputs];
        var normShift = new double[outputs];
        if (batchNorm is null)
        {
            normScale.AsSpan().Fill(1);
        }
        else
        {
            batchNorm.InferenceAffine(normScale, normShift);
        }

        for (var o = 0; o < outputs; o++)
        {
            var row = weight.Slice(o * inputs, inputs);
            double inputOffset = 0;
            for (var i = 0; i < inputs; i++)
            {
                var w = (double)row[i];
                if (!scale.IsEmpty)
                {
                    w *= scale[i];
                    inputOffset += w * mean[i];
                }

                foldedWeight[(o * inputs) + i] = (float)(normScale[o] * w);
            }

            var b = bias.IsEmpty ? 0 : bias[o];
            foldedBias[o] = (float)((normScale[o] * (b - inputOffset)) + normShift[o]);
        }

        return Bound(inputs, outputs, foldedWeight, foldedBias);
    }

    private static Dense Bound(int inputs, int outputs, ArraySegment<float> weight, ArraySegment<float> bias)
    {
        var result = new Dense(inputs, outputs, useBias: true);
        result.BindValues(weight, bias);
        return result;
    }
}
