namespace MlNetDeep;

/// <summary>
/// How each numeric feature is embedded before the first hidden layer. Every feature (after the input transform) gets a
/// vector of <c>EmbeddingDimension</c> values, and the features' vectors are concatenated into the first hidden layer's
/// input, so that layer sees <c>features × EmbeddingDimension</c> values.
/// </summary>
public enum NumericEmbedding
{
    /// <summary>No embedding: the first hidden layer reads the transformed features.</summary>
    None,

    /// <summary>
    /// Periodic embedding with a linear map and ReLU per feature (PLR): <c>v = 2π·c·x</c> with <c>EmbeddingFrequencies</c>
    /// learned frequencies <c>c</c> per feature, drawn from N(0, σ²) with σ = <c>EmbeddingFrequencyScale</c>; then
    /// <c>ReLU(W_f·[cos v, sin v] + b_f)</c> with a weight and bias of each feature's own.
    /// </summary>
    Periodic,

    /// <summary>As <see cref="Periodic"/>, but one linear map (weight and bias) shared by all features: fewer parameters.</summary>
    PeriodicLite,

    /// <summary>
    /// Piecewise-linear encoding over <c>EmbeddingBins</c> quantile bins of each feature (fitted on the training rows):
    /// bin <c>t</c> holds <c>(x − e_t)/(e_{t+1} − e_t)</c> clamped to [0, 1] (the first bin unbounded below, the last
    /// unbounded above), then <c>ReLU(W_f·encoding + b_f)</c> with a weight and bias of each feature's own. A feature
    /// with fewer distinct values than bins gets fewer bins; its unused ones stay zero.
    /// </summary>
    PiecewiseLinear,
}
