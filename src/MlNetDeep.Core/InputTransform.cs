namespace MlNetDeep;

/// <summary>
/// How the network maps each raw feature before its first layer. The transform is fitted on the training rows,
/// saved in the model, and applied to every row scored.
/// </summary>
public enum InputTransform
{
    /// <summary>
    /// <c>(x − mean) / sd</c> with the training rows' mean and standard deviation (a constant feature keeps scale 1).
    /// Folded into the first dense layer for scoring when nothing comes between them.
    /// </summary>
    Standardize,

    /// <summary>
    /// Robust scaling followed by smooth clipping: <c>z = (x − median) / (q₇₅ − q₂₅)</c> (quartiles by linear interpolation;
    /// when the interquartile range is zero, <c>(max − min) / 2</c>; when that is zero too, 1), then
    /// <c>z / √(1 + (z/3)²)</c>, which leaves small values almost unchanged and bounds every value to (−3, 3), so
    /// outliers and heavy tails do not dominate the first layer.
    /// </summary>
    RobustSmoothClip,

    /// <summary>
    /// Each feature through its empirical quantiles to a standard normal, as scikit-learn's
    /// <c>QuantileTransformer(output_distribution="normal")</c>: 1,000 quantiles of the training values, a value mapped
    /// to its interpolated cumulative probability (the middle of a run of equal quantiles), clipped to
    /// [10⁻⁷, 1 − 10⁻⁷] and passed through the normal quantile function; the output lies in about [−5.2, 5.2].
    /// </summary>
    Quantile,

    /// <summary>
    /// <c>x / max|x|</c> with the largest absolute value of the feature over the training rows (a feature that is zero in
    /// every row keeps scale 1), as scikit-learn's <c>MaxAbsScaler</c>: nothing is subtracted, so zeros stay zero and
    /// every training value lands in [−1, 1]. Meant for sparse features (word and character n-gram counts, one-hot
    /// codes), where a feature seen in few rows would get a very large standardized value. Folded into the first dense
    /// layer for scoring as <see cref="Standardize"/> is.
    /// </summary>
    MaxAbs,
}
