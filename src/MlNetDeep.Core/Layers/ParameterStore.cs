using MlNetDeep.Compute;
using MlNetDeep.Initializers;
using MlNetDeep.Training;

namespace MlNetDeep.Layers;

/// <summary>
/// The storage of a network: all learnable parameters in one contiguous array (<see cref="Parameters"/>), their gradients
/// in another (<see cref="Gradients"/>) and the non-learned state in a third (<see cref="Buffers"/>), with a named view
/// per tensor, laid out in the order the <see cref="LayerStack"/> declares them. An optimizer step is one pass and a
/// checkpoint three array copies.
/// </summary>
internal sealed class ParameterStore
{
    private readonly NamedTensor[] _parameterTensors;
    private readonly NamedTensor[] _bufferTensors;
    private readonly TensorView _inputMean;
    private readonly TensorView _inputScale;
    private readonly int _targetMean;
    private readonly int _targetStd;

    private ParameterStore(LayerStack stack, float[] parameters, float[] buffers)
    {
        Parameters = parameters;
        Gradients = new float[parameters.Length];
        Buffers = buffers;
        _parameterTensors = Lay(stack.Parameters, parameters);
        _bufferTensors = Lay(stack.Buffers, buffers);
        _inputMean = _bufferTensors[LayerStack.InputMeanBuffer].View;
        _inputScale = _bufferTensors[LayerStack.InputScaleBuffer].View;
        _targetMean = _bufferTensors[LayerStack.TargetMeanBuffer].View.Offset;
        _targetStd = _bufferTensors[LayerStack.TargetStdBuffer].View.Offset;
        Bind(stack, Gradients);
    }

    /// <summary>All learnable parameters, contiguous, in layout order.</summary>
    public float[] Parameters { get; }

    /// <summary>The gradients of <see cref="Parameters"/>, same layout.</summary>
    public float[] Gradients { get; }

    /// <summary>Non-learned state: input standardization, target scaling and running statistics.</summary>
    public float[] Buffers { get; }

    /// <summary>The learnable tensors with their state-dict names, in layout order.</summary>
    public IReadOnlyList<NamedTensor> ParameterTensors => _parameterTensors;

    /// <summary>The buffers with their state-dict names, in layout order.</summary>
    public IReadOnlyList<NamedTensor> BufferTensors => _bufferTensors;

    /// <summary>Per-feature shift of the input standardization, <c>[InputSize]</c>.</summary>
    public Span<float> InputMean => _inputMean.Span;

    /// <summary>Per-feature scale of the input standardization, <c>[InputSize]</c>.</summary>
    public Span<float> InputScale => _inputScale.Span;

    /// <summary>Mean of the regression target (0 for classification).</summary>
    public ref float TargetMean => ref Buffers[_targetMean];

    /// <summary>Standard deviation of the regression target (1 for classification).</summary>
    public ref float TargetStd => ref Buffers[_targetStd];

    /// <summary>Zeroed storage for <paramref name="stack"/>, its layers bound to it.</summary>
    public static ParameterStore Allocate(LayerStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return new ParameterStore(stack, new float[stack.ParameterLength], new float[stack.BufferLength]);
    }

    /// <summary>Storage over the given values (checked for size), <paramref name="stack"/>'s layers bound to it.</summary>
    public static ParameterStore FromValues(LayerStack stack, float[] parameters, float[] buffers)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(buffers);
        if (parameters.Length != stack.ParameterLength || buffers.Length != stack.BufferLength)
        {
            throw new InvalidDataException(
                $"The stored network has {parameters.Length} parameters and {buffers.Length} buffer values; its architecture needs {stack.ParameterLength} and {stack.BufferLength}: the network data is corrupted.");
        }

        return new ParameterStore(stack, parameters, buffers);
    }

    /// <summary>
    /// Binds the layers of <paramref name="stack"/>, a second build of the same spec, to these parameters and buffers, with
    /// gradients of their own (so backward through them would not touch <see cref="Gradients"/>).
    /// </summary>
    public void BindCopy(LayerStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        if (stack.ParameterLength != Parameters.Length || stack.BufferLength != Buffers.Length)
        {
            throw new ArgumentException($"The layers need {stack.ParameterLength} parameters and {stack.BufferLength} buffer values; the store holds {Parameters.Length} and {Buffers.Length}.", nameof(stack));
        }

        Bind(stack, new float[Parameters.Length]);
    }

    /// <summary>
    /// Draws the starting values from <paramref name="random"/>, tensor by tensor in layout order: each weight by the
    /// initializer of <paramref name="spec"/> for the activation after its block (the block read from the tensor's
    /// declaration; the output layer counts as linear), a tensor with a rule of its own (<see cref="ParameterSpec.Initializer"/>)
    /// by that rule, every other tensor set to its spec's starting value.
    /// </summary>
    public void Initialize(NetworkSpec spec, RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(random);
        foreach (var tensor in _parameterTensors)
        {
            if (tensor.Spec.Initializer is { } initializer)
            {
                initializer(tensor.View.Span, random);
            }
            else if (tensor.Spec.Role == ParameterRole.Weight)
            {
                var activation = tensor.Block < spec.HiddenLayers.Count ? spec.HiddenLayers[tensor.Block].Activation : Activation.Linear;
                InitializerFactory.Create(spec.WeightInitializer, activation, spec.WeightInitializerValue)
                    .Initialize(tensor.View.Span, tensor.Spec.Shape, random);
            }
            else
            {
                tensor.View.Span.Fill(tensor.Spec.InitialValue);
            }
        }

        foreach (var tensor in _bufferTensors)
        {
            tensor.View.Span.Fill(tensor.Spec.InitialValue);
        }
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGradients() => Array.Clear(Gradients);

    /// <summary>The parameters and buffers by state-dict name, as copies.</summary>
    public IReadOnlyDictionary<string, float[]> GetStateDictionary()
    {
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var tensor in _parameterTensors.Concat(_bufferTensors))
        {
            result[tensor.Name] = tensor.View.Span.ToArray();
        }

        return result;
    }

    /// <summary>The ranges of <see cref="Parameters"/> that weight decay applies to (<see cref="ParameterSpec.IsDecayed"/>).</summary>
    public IReadOnlyList<(int Offset, int Length)> DecayedRanges()
        => _parameterTensors.Where(t => t.Spec.IsDecayed).Select(t => (t.View.Offset, t.View.Length)).ToArray();

    private static NamedTensor[] Lay(IReadOnlyList<TensorDeclaration> declarations, float[] storage)
    {
        var named = new NamedTensor[declarations.Count];
        var offset = 0;
        for (var i = 0; i < named.Length; i++)
        {
            var declaration = declarations[i];
            named[i] = new NamedTensor(declaration.Name, declaration.Spec, declaration.Block, new TensorView(storage, offset, declaration.Spec.Length));
            offset += declaration.Spec.Length;
        }

        return named;
    }

    /// <summary>Hands every layer of <paramref name="stack"/> its views: parameters and buffers here, gradients in <paramref name="gradients"/>.</summary>
    private void Bind(LayerStack stack, float[] gradients)
    {
        foreach (var layer in stack.Layers)
        {
            var parameters = Owned(stack.Parameters, layer, Parameters);
            var buffers = Owned(stack.Buffers, layer, Buffers);
            layer.Bind(
                parameters,
                parameters.Select(v => new TensorView(gradients, v.Offset, v.Length)).ToArray(),
                buffers);
        }
    }

    /// <summary>The views, in layout order, of the tensors of <paramref name="declarations"/> that <paramref name="layer"/> owns.</summary>
    private static TensorView[] Owned(IReadOnlyList<TensorDeclaration> declarations, Layer layer, float[] storage)
    {
        var views = new List<TensorView>();
        var offset = 0;
        foreach (var declaration in declarations)
        {
            if (ReferenceEquals(declaration.Owner, layer))
            {
                views.Add(new TensorView(storage, offset, declaration.Spec.Length));
            }

            offset += declaration.Spec.Length;
        }

        return [.. views];
    }
}
