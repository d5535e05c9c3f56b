using MlNetDeep.Compute;

namespace MlNetDeep.GradientOptimizers;

/// <summary>
/// A gradient-descent rule over the network's single contiguous parameter storage. One <see cref="Step"/> is one
/// vectorized pass over the parameters and their gradients (llm.c style), in chunks that never straddle a point where
/// weight decay starts or stops applying, taken last first (shared among threads when there are several).
/// </summary>
/// <remarks>
/// Weight decay follows PyTorch: SGD, Adam, RMSProp and Adagrad add <c>wd·p</c> to the gradient (L2); AdamW
/// multiplies the parameter by <c>1 − lr·wd</c> before its Adam update (decoupled). Either applies only inside the
/// decayed ranges given at construction (the network decays weights, not biases, normalization γ/β or PReLU
/// slopes). The optimizer state (moments, accumulators) lives in arrays allocated once here, one value per
/// parameter, exposed through <see cref="State"/> and <see cref="StepCount"/> for serialization and set back by
/// <see cref="RestoreState"/>. A step allocates nothing.
/// </remarks>
internal abstract class GradientOptimizer
{
    private readonly float[][] _state;
    private readonly float _initialStateValue;
    private readonly (int Offset, int Length, bool Decayed)[] _chunks;

    /// <summary>Parameters per chunk of a step: large enough to amortize a hand-off between threads, small enough to balance them.</summary>
    private const int ChunkLength = 32 * 1024;

    /// <summary>Allocates the state for <paramref name="parameterCount"/> parameters and records the decayed ranges.</summary>
    /// <param name="parameterCount">The length of the parameter (and gradient) storage.</param>
    /// <param name="weightDecay">The weight-decay or L2 coefficient (0 disables it).</param>
    /// <param name="decayRanges">The <c>(Offset, Length)</c> ranges that are decayed; null decays every parameter.</param>
    /// <param name="stateNames">One name per state array (PyTorch state-dict names such as <c>exp_avg</c>).</param>
    /// <param name="initialStateValue">The value every state array starts from (and returns to on <see cref="Reset"/>).</param>
    protected GradientOptimizer(
        int parameterCount,
        float weightDecay,
        IReadOnlyList<(int Offset, int Length)>? decayRanges,
        IReadOnlyList<string> stateNames,
        float initialStateValue = 0f)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        if (!(weightDecay >= 0f) || float.IsInfinity(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), $"Weight decay must be finite and non-negative. Received: weightDecay={weightDecay}.");
        }

        ParameterCount = parameterCount;
        WeightDecay = weightDecay;
        StateNames = stateNames;
        _initialStateValue = initialStateValue;
        _state = new float[stateNames.Count][];
        for (var i = 0; i < _state.Length; i++)
        {
            _state[i] = new float[parameterCount];
            Array.Fill(_state[i], initialStateValue);
        }

        var segments = weightDecay == 0f
            ? (parameterCount == 0 ? [] : [(0, parameterCount, false)])
            : BuildSegments(parameterCount, decayRanges);
        _chunks = segments
            .SelectMany(segment => Enumerable.Range(0, (segment.Length + ChunkLength - 1) / ChunkLength)
                .Select(c => (segment.Offset + (c * ChunkLength), Math.Min(ChunkLength, segment.Length - (c * ChunkLength)), segment.Decayed)))
            .ToArray();
    }

    /// <summary>
    /// How many threads a step may use (at least 1). The update of each parameter depends on that parameter alone,
    /// so the result is the same for any thread count.
    /// </summary>
    public int Threads
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 1;

    /// <summary>Which rule this is.</summary>
    public abstract Optimizer Kind { get; }

    /// <summary>The number of parameters the optimizer was built for.</summary>
    public int ParameterCount { get; }

    /// <summary>The weight-decay (AdamW) or L2 (others) coefficient applied inside the decayed ranges.</summary>
    public float WeightDecay { get; }

    /// <summary>The names of the state arrays, in the order of <see cref="State"/>.</summary>
    public IReadOnlyList<string> StateNames { get; }

    /// <summary>The state arrays, each <see cref="ParameterCount"/> long (live: read them, do not keep them across steps).</summary>
    public IReadOnlyList<float[]> State => _state;

    /// <summary>How many steps have been taken (PyTorch's <c>step</c>; Adam's bias correction uses it).</summary>
    public long StepCount { get; private set; }

    /// <summary>
    /// Updates <paramref name="parameters"/> in place from <paramref name="gradients"/> (both <see cref="ParameterCount"/>
    /// long) with the given learning rate (a schedule may change it every epoch).
    /// </summary>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate)
    {
        if (parameters.Length != ParameterCount || gradients.Length != ParameterCount)
        {
            throw new ArgumentException($"The optimizer was built for {ParameterCount} parameters; received {parameters.Length} parameters and {gradients.Length} gradients.");
        }

        if (!(learningRate >= 0f) || float.IsInfinity(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), $"The learning rate must be finite and non-negative. Received: learningRate={learningRate}.");
        }

        StepCount++;
        // On one thread the pool runs the chunks in order on the caller.
        var work = new StepWork(this, parameters, gradients, learningRate);
        WorkerPool.Shared.Run(_chunks.Length, Threads, ref work);
    }

    /// <summary>Sets the state and step count back to saved values (the arrays are copied).</summary>
    public void RestoreState(IReadOnlyList<float[]> state, long stepCount)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        if (state.Count != _state.Length)
        {
            throw new ArgumentException($"{Kind} keeps {_state.Length} state arrays; received {state.Count}.", nameof(state));
        }

        for (var i = 0; i < _state.Length; i++)
        {
            if (state[i] is null || state[i].Length != ParameterCount)
            {
                throw new ArgumentException($"State array '{StateNames[i]}' must hold {ParameterCount} values; received {state[i]?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}.", nameof(state));
            }
        }

        for (var i = 0; i < _state.Length; i++)
        {
            state[i].CopyTo(_state[i], 0);
        }

        StepCount = stepCount;
    }

    /// <summary>Returns the state to its initial values and the step count to zero.</summary>
    public void Reset()
    {
        foreach (var array in _state)
        {
            Array.Fill(array, _initialStateValue);
        }

        StepCount = 0;
    }

    /// <summary>
    /// Updates one contiguous range that is uniformly decayed or not. <paramref name="offset"/> locates the range
    /// in the full storage (and in the state arrays); <see cref="StepCount"/> already counts this step.
    /// </summary>
    protected abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, float learningRate, float weightDecay);

    /// <summary>The part of state array <paramref name="index"/> that matches a range of the parameters.</summary>
    protected Span<float> StateSlice(int index, int offset, int length) => _state[index].AsSpan(offset, length);

    /// <summary>
    /// One chunk of a step per part, the last chunk first (on one thread or several): the first layer's weights, which
    /// the next forward pass reads first, are then the ones the step touched last and the likeliest to still be in a cache.
    /// </summary>
    private readonly ref struct StepWork(GradientOptimizer optimizer, Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate) : IParallelWork
    {
        private readonly Span<float> _parameters = parameters;
        private readonly ReadOnlySpan<float> _gradients = gradients;

        public void Execute(int part)
        {
            var (offset, length, decayed) = optimizer._chunks[optimizer._chunks.Length - 1 - part];
            optimizer.Update(_parameters.Slice(offset, length), _gradients.Slice(offset, length), offset, learningRate, decayed ? optimizer.WeightDecay : 0f);
        }
    }

    /// <summary>Splits <c>[0, parameterCount)</c> into alternating decayed and undecayed ranges, in order.</summary>
    private static (int Offset, int Length, bool Decayed)[] BuildSegments(int parameterCount, IReadOnlyList<(int Offset, int Length)>? decayRanges)
    {
        if (decayRanges is null)
        {
            return parameterCount == 0 ? [] : [(0, parameterCount, true)];
        }

        var sorted = decayRanges.Where(r => r.Length != 0).OrderBy(r => r.Offset).ToArray();
        var segments = new List<(int Offset, int Length, bool Decayed)>();
        var position = 0;
        foreach (var (offset, length) in sorted)
        {
            if (offset < 0 || length < 0 || (long)offset + length > parameterCount)
            {
                throw new ArgumentOutOfRangeException(nameof(decayRanges), $"Decay range (offset {offset}, length {length}) does not fit {parameterCount} parameters.");
            }

            if (offset < position)
            {
                throw new ArgumentException($"Decay ranges overlap at offset {offset}.", nameof(decayRanges));
            }

            if (offset > position)
            {
                segments.Add((position, offset - position, false));
            }

            if (segments.Count > 0 && segments[^1].Decayed && segments[^1].Offset + segments[^1].Length == offset)
            {
                segments[^1] = (segments[^1].Offset, segments[^1].Length + length, true);
            }
            else
            {
                segments.Add((offset, length, true));
            }

            position = offset + length;
        }

        if (position < parameterCount)
        {
            segments.Add((position, parameterCount - position, false));
        }

        return [.. segments];
    }
}
