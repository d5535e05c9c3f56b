using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Model.OnnxConverter;
using Microsoft.ML.Runtime;
using MlNetDeep;
using MlNetDeep.Export;
using MlNetDeep.Internal;

[assembly: LoadableClass(typeof(FeedForwardEmbeddingTransformer), null, typeof(SignatureLoadModel), "MlNetDeep Feed-Forward Embedding", FeedForwardEmbeddingTransformer.LoaderSignature)]

namespace MlNetDeep;

// The ML.NET side of FeedForwardEmbeddingTransformer: ML.NET's row-to-row transformer base (whose mapper adds the
// column to every cursor and prediction engine) and persistence, the network saved as a nested model.
public sealed partial class FeedForwardEmbeddingTransformer : RowToRowTransformerBase
{
    /// <summary>The name registered with ML.NET's component catalog (at most 24 characters).</summary>
    internal const string LoaderSignature = "MlNetDeepFFEmbedding";

    private const string StreamName = "FeedForwardEmbedding.bin";

    private const string ModelName = "Model";

    // Version history: 0x00010001 = output column, input column, hidden layer; the network as the nested model "Model".
    private static readonly ModelFormat _format = new(
        modelSignature: "MLNDFFEM",
        versionWritten: 0x00010001,
        versionReadable: 0x00010001,
        versionWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(FeedForwardEmbeddingTransformer).Assembly.FullName!);

    /// <summary>Creates the transformer; <paramref name="layer"/> is already resolved to a hidden layer.</summary>
    internal FeedForwardEmbeddingTransformer(IHostEnvironment environment, FeedForwardModelParameters model, string outputColumnName, string inputColumnName, int layer)
        : base(Register(environment))
    {
        Model = model;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Layer = ResolveLayer(model, layer);
    }

    // Found by ML.NET's catalog through the loader signature.
    private FeedForwardEmbeddingTransformer(IHostEnvironment environment, ModelLoadContext context)
        : base(Register(environment, context))
    {
        string? output = null;
        string? input = null;
        var layer = 0;
        ModelPersistence.ReadStream(context, StreamName, reader =>
        {
            // *** Binary format (identical in SaveModel) ***
            // string     output column name
            // string     input column name
            // int32      hidden layer, from 0
            output = reader.ReadString();
            input = reader.ReadString();
            layer = reader.ReadInt32();
        });
        if (string.IsNullOrWhiteSpace(output) || string.IsNullOrWhiteSpace(input))
        {
            throw new InvalidDataException($"The feed-forward embedding is corrupt: its column names are '{output}' and '{input}'.");
        }

        context.LoadModel<FeedForwardModelParameters, SignatureLoadModel>(environment, out var model, ModelName);
        if (model is null)
        {
            throw new InvalidDataException($"The feed-forward embedding is corrupt: its network '{ModelName}' is missing from '{context.Directory}'.");
        }

        if (layer < 0 || layer >= model.HiddenLayers.Count)
        {
            throw new InvalidDataException($"The feed-forward embedding is corrupt: it takes hidden layer {layer} of a network with {model.HiddenLayers.Count}.");
        }

        Model = model;
        OutputColumnName = output;
        InputColumnName = input;
        Layer = layer;
    }

    /// <inheritdoc/>
    public override void SaveModel(ModelSaveContext ctx)
    {
        Host.CheckValue(ctx, nameof(ctx));
        ctx.CheckAtModel();
        ModelPersistence.WriteHeader(ctx, _format);
        ModelPersistence.WriteStream(ctx, StreamName, writer =>
        {
            // *** Binary format: see the load constructor ***
            writer.Write(OutputColumnName);
            writer.Write(InputColumnName);
            writer.Write(Layer);
        });
        ctx.SaveModel(Model, ModelName);
    }

    /// <inheritdoc/>
    public override IRowMapper MakeRowMapper(DataViewSchema schema) => new Mapper(this, schema);

    private static IHost Register(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.Register(nameof(FeedForwardEmbeddingTransformer));
    }

    // The header is checked before anything else is read, so it runs in the base-constructor argument.
    private static IHost Register(IHostEnvironment environment, ModelLoadContext context)
    {
        ModelPersistence.ReadHeader(context, _format);
        return Register(environment);
    }

    /// <summary>Adds the embedding column; each getter owns a scorer and buffers. It writes the column to ONNX too.</summary>
    private sealed class Mapper : MapperBase, ISaveAsOnnx
    {
        private readonly FeedForwardEmbeddingTransformer _parent;
        private readonly int _inputIndex;

        public Mapper(FeedForwardEmbeddingTransformer parent, DataViewSchema schema)
            : base(parent.Host, schema, parent)
        {
            _parent = parent;
            var column = schema.GetColumnOrNull(parent.InputColumnName)
                ?? throw new ArgumentException($"The input column '{parent.InputColumnName}' of the feed-forward embedding is not in the data; the columns are: {string.Join(", ", schema.Select(c => c.Name))}.", nameof(schema));
            if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType n } vector || n != NumberDataViewType.Single || vector.Size != parent.Model.InputSize)
            {
                throw new ArgumentException($"The input column '{parent.InputColumnName}' of the feed-forward embedding must be a vector of {parent.Model.InputSize} Single values (the model's input size); it is {column.Type}.", nameof(schema));
            }

            _inputIndex = column.Index;
        }

        protected override DataViewSchema.DetachedColumn[] GetOutputColumnsCore()
            => [new DataViewSchema.DetachedColumn(_parent.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, _parent.EmbeddingSize))];

        public override Func<int, bool> GetDependenciesCore(Func<int, bool> activeOutput)
            => column => column == _inputIndex && activeOutput(0);

        public override void SaveModel(ModelSaveContext ctx) => _parent.SaveModel(ctx);

        /// <summary>True when the model can be written to ONNX; a model that scores with Monte Carlo dropout throws instead.</summary>
        public bool CanSaveOnnx(OnnxContext ctx)
        {
            FeedForwardOnnx.CheckExportable(_parent.Model.MonteCarloDropoutPasses);
            return true;
        }

        /// <summary>Writes the embedding column from the input column's ONNX value (the activations at inference, as <c>Transform</c> computes them).</summary>
        public void SaveAsOnnx(OnnxContext ctx)
        {
            ArgumentNullException.ThrowIfNull(ctx);
            OnnxContextGraph.CheckOpSet(ctx);
            if (!ctx.ContainsColumn(_parent.InputColumnName))
            {
                return;
            }

            var input = ctx.GetVariableName(_parent.InputColumnName);
            var output = ctx.AddIntermediateVariable(GetOutputColumnsCore()[0].Type, _parent.OutputColumnName);
            OnnxNetworkWriter.WriteEmbedding(new OnnxContextGraph(ctx), _parent.Model.Network, input, _parent.Layer, output);
        }

        protected override Delegate MakeGetter(DataViewRow input, int iinfo, Func<int, bool> activeOutput, out Action disposer)
        {
            disposer = null!;
            var network = _parent.Model.Network;
            var scorer = network.CreateScorer(maxBatch: 1, threads: 1);
            var layer = _parent.Layer;
            var features = new float[network.Spec.InputSize];
            var embedding = new float[scorer.EmbeddingSize(layer)];
            var getFeatures = input.GetGetter<VBuffer<float>>(input.Schema[_inputIndex]);
            var source = default(VBuffer<float>);
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> destination) =>
            {
                getFeatures(ref source);
                if (source.Length != features.Length)
                {
                    throw new InvalidOperationException($"The feed-forward embedding expects {features.Length} values in column '{_parent.InputColumnName}'; the row has {source.Length}.");
                }

                source.CopyTo(features);
                scorer.Embed(features, embedding, 1, layer);
                var editor = VBufferEditor.Create(ref destination, embedding.Length);
                embedding.CopyTo(editor.Values);
                destination = editor.Commit();
            };
            return getter;
        }
    }
}
