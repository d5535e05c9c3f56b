using MlNetDeep.Compute;
using MlNetDeep.Layers;

namespace MlNetDeep.Training;

/// <summary>
/// The training rows that the quantile-based parts of the input side are fitted on: the robust scaling of
/// <see cref="InputTransform.RobustSmoothClip"/> (median and quartiles), the quantiles of <see cref="InputTransform.Quantile"/>
/// and the bin edges of <see cref="NumericEmbedding.PiecewiseLinear"/>. All rows are kept up to <see cref="MaxRows"/>;
/// beyond that a uniform sample of that many, drawn by reservoir sampling seeded from the training seed, so the same
/// seed gives the same fit and the memory stays bounded however many rows stream past.
/// </summary>
internal sealed class InputSample
{
    /// <summary>Rows kept at most (scikit-learn's quantile transformer subsamples to 10,000; more rows cost little here).</summary>
    public const int MaxRows = 100_000;

    private readonly int _columns;
    private readonly float[][] _values;
    private readonly RandomGenerator _random;
    private long _seen;

    /// <summary>A sample of rows of <paramref name="columns"/> features out of <paramref name="rows"/> training rows.</summary>
    public InputSample(int columns, int rows, long seed)
    {
        _columns = columns;
        var kept = Math.Min(rows, MaxRows);
        _values = new float[columns][];
        for (var c = 0; c < columns; c++)
        {
            _values[c] = new float[kept];
        }

        _random = new RandomGenerator(seed ^ 0x1F3D5B79A2C4E6L);
    }

    /// <summary>Rows in the sample.</summary>
    public int Count => (int)Math.Min(_seen, _values.Length == 0 ? 0 : _values[0].Length);

    /// <summary>Whether <paramref name="spec"/> has a part fitted on quantiles.</summary>
    public static bool IsNeeded(NetworkSpec spec)
        => spec.InputTransform is InputTransform.RobustSmoothClip or InputTransform.Quantile || spec.NumericEmbedding == NumericEmbedding.PiecewiseLinear;

    /// <summary>Offers the next training row (reservoir sampling, Algorithm R).</summary>
    public void Add(ReadOnlySpan<float> row)
    {
        var capacity = _values[0].Length;
        long slot = _seen < capacity ? _seen : (long)(_random.NextDouble() * (_seen + 1));
        _seen++;
        if (slot >= capacity)
        {
            return;
        }

        for (var c = 0; c < _columns; c++)
        {
            _values[c][slot] = row[c];
        }
    }

    /// <summary>
    /// Fits the input transform (after the network's standardization, which the trainer has set) and the piecewise-linear
    /// bin edges on the sample, writing them into <paramref name="network"/>.
    /// </summary>
    public void Fit(SequentialNetwork network)
    {
        var spec = network.Spec;
        var count = Count;
        var column = new float[count];
        var quantileLayer = network.Layers.OfType<QuantileTransform>().SingleOrDefault();
        var embedding = network.Layers.OfType<NumericEmbeddingLayer>().SingleOrDefault();
        for (var c = 0; c < _columns; c++)
        {
            _values[c].AsSpan(0, count).CopyTo(column);
            Array.Sort(column);
            switch (spec.InputTransform)
            {
                case InputTransform.RobustSmoothClip:
                    var scale = Quantile(column, 0.75) - Quantile(column, 0.25);
                    if (!(scale > 0))
                    {
                        scale = (column[^1] - (double)column[0]) / 2;
                    }

                    network.InputMean[c] = (float)Quantile(column, 0.5);
                    network.InputScale[c] = scale > 0 ? (float)(1 / scale) : 1f;
                    break;
                case InputTransform.Quantile:
                    network.InputMean[c] = 0f;
                    network.InputScale[c] = 1f;
                    var quantiles = quantileLayer!.Quantiles.Slice(c * QuantileTransform.QuantileCount, QuantileTransform.QuantileCount);
                    for (var j = 0; j < quantiles.Length; j++)
                    {
                        quantiles[j] = (float)Quantile(column, j / (double)(quantiles.Length - 1));
                    }

                    break;
            }

            if (embedding is { Kind: NumericEmbedding.PiecewiseLinear })
            {
                FitEdges(network, embedding, c, column, quantileLayer);
            }
        }
    }

    /// <summary>Bin edges of feature <paramref name="c"/> at the quantiles <c>t/T</c> of its transformed values, equal edges merged.</summary>
    private static void FitEdges(SequentialNetwork network, NumericEmbeddingLayer embedding, int c, float[] sorted, QuantileTransform? quantileLayer)
    {
        var spec = network.Spec;
        var mean = network.InputMean[c];
        var scale = network.InputScale[c];
        var transformed = new float[sorted.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            var z = (sorted[i] - mean) * scale;
            transformed[i] = spec.InputTransform switch
            {
                InputTransform.RobustSmoothClip => SmoothClip.Clip(z),
                InputTransform.Quantile => (float)QuantileTransform.Map(z, quantileLayer!.Quantiles.Slice(c * QuantileTransform.QuantileCount, QuantileTransform.QuantileCount)),
                _ => z,
            };
        }

        // Every transform is non-decreasing, so the transformed values are sorted too.
        var bins = embedding.Bins;
        var edges = embedding.Edges.Slice(c * (bins + 1), bins + 1);
        var used = 0;
        edges[0] = transformed.Length == 0 ? 0f : transformed[0];
        for (var t = 1; t <= bins; t++)
        {
            var edge = transformed.Length == 0 ? 0f : (float)Quantile(transformed, t / (double)bins);
            if (edge > edges[used])
            {
                edges[++used] = edge;
            }
        }

        for (var t = used + 1; t <= bins; t++)
        {
            edges[t] = edges[used];
        }

        // A constant feature keeps one empty bin, which encodes every value as 0.
        embedding.BinCounts[c] = Math.Max(used, 1);
    }

    /// <summary>The <paramref name="p"/> quantile of sorted values, interpolating linearly between order statistics (NumPy's default).</summary>
    public static double Quantile(ReadOnlySpan<float> sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        var position = p * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        var fraction = position - below;
        return sorted[below] + ((sorted[above] - (double)sorted[below]) * fraction);
    }
}
