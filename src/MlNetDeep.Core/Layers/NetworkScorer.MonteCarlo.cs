using MlNetDeep.Compute;
using MlNetDeep.Training;

namespace MlNetDeep.Layers;

/// <summary>Monte Carlo dropout: the mean prediction over sampled sub-networks and its spread.</summary>
public sealed partial class NetworkScorer
{
    private float[] _passOutput = [];
    private double[] _passMean = [];
    private double[] _passSquares = [];
    private float[] _passLowest = [];
    private float[] _passHighest = [];

    /// <summary>
    /// Scores <paramref name="rows"/> raw feature rows <paramref name="passes"/> times with dropout kept active
    /// (every <see cref="Dropout"/> and <see cref="AlphaDropout"/> layer draws a fresh mask per pass, while
    /// batch norm keeps its running statistics as at inference) and writes the mean prediction to
    /// <paramref name="output"/> <c>[rows, OutputSize]</c> and a per-row uncertainty to
    /// <paramref name="uncertainty"/> <c>[rows]</c>. This is dropout read as approximate Bayesian inference
    /// (Gal and Ghahramani): the prediction is the average over sampled sub-networks.
    /// </summary>
    /// <remarks>
    /// <para>Outputs, in the layout of <see cref="Score(ReadOnlySpan{float}, Span{float}, int)"/>:</para>
    /// <list type="bullet">
    /// <item>Multiclass: the mean of the passes' softmax probabilities; uncertainty is the predictive entropy
    /// of that mean distribution, <c>−Σ p̄ₖ ln p̄ₖ</c> in nats (0 when certain, ln K when uniform).</item>
    /// <item>Binary: the logit of the mean probability <c>p̄</c> of the passes (exactly the ordinary logit when
    /// every pass gives the same one); uncertainty is the standard deviation of the passes' probabilities.</item>
    /// <item>Regression: the mean prediction on the original target scale; uncertainty is the standard
    /// deviation of the passes' predictions (same scale).</item>
    /// </list>
    /// <para>Standard deviations divide by the number of passes. The masks come from a random stream started
    /// from <paramref name="seed"/> at each call, so the same call gives the same result. With one pass and a
    /// network without dropout the output equals <see cref="Score(ReadOnlySpan{float}, Span{float}, int)"/> exactly.</para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="passes"/> is below 1.</exception>
    public void ScoreMonteCarlo(ReadOnlySpan<float> input, Span<float> output, Span<float> uncertainty, int rows, int passes, long seed)
    {
        if (passes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(passes), $"Monte Carlo dropout needs at least one pass. Received: passes={passes}.");
        }

        var inputSize = InputSize;
        var outputSize = OutputSize;
        if (input.Length < rows * inputSize || output.Length < rows * outputSize || uncertainty.Length < rows)
        {
            throw new ArgumentException(
                $"Scoring {rows} rows needs {rows * inputSize} inputs, {rows * outputSize} outputs and {rows} uncertainties; received {input.Length}, {output.Length} and {uncertainty.Length}.");
        }

        ScoreSpread(input, output, uncertainty, rows, passes, new LayerContext(new RandomGenerator(seed), _plan.Context.Threads) { Training = true });
    }

    /// <summary>
    /// Scores <paramref name="rows"/> raw feature rows with every member of an ensemble (<see cref="NetworkSpec.EnsembleSize"/>)
    /// and writes the members' mean prediction to <paramref name="output"/> (what <see cref="Score(ReadOnlySpan{float}, Span{float}, int)"/> writes) and their
    /// disagreement to <paramref name="uncertainty"/> <c>[rows]</c>, defined as for <see cref="ScoreMonteCarlo"/> with the
    /// members in place of the passes: multiclass the entropy of the mean distribution, binary the standard deviation of the
    /// members' probabilities, regression the standard deviation of their predictions. A single network gives zero spread.
    /// </summary>
    public void ScoreMembers(ReadOnlySpan<float> input, Span<float> output, Span<float> uncertainty, int rows)
    {
        var inputSize = InputSize;
        var outputSize = OutputSize;
        if (input.Length < rows * inputSize || output.Length < rows * outputSize || uncertainty.Length < rows)
        {
            throw new ArgumentException(
                $"Scoring {rows} rows needs {rows * inputSize} inputs, {rows * outputSize} outputs and {rows} uncertainties; received {input.Length}, {output.Length} and {uncertainty.Length}.");
        }

        ScoreSpread(input, output, uncertainty, rows, 1, null);
    }

    /// <summary>
    /// Runs <paramref name="passes"/> passes (dropout under <paramref name="dropoutContext"/> when given) and folds every
    /// member of every pass into the mean and spread.
    /// </summary>
    private void ScoreSpread(ReadOnlySpan<float> input, Span<float> output, Span<float> uncertainty, int rows, int passes, LayerContext? dropoutContext)
    {
        var inputSize = InputSize;
        var outputSize = OutputSize;
        var members = _network.Spec.EnsembleSize;
        EnsurePassBuffers();
        var task = _network.Spec.Task;
        for (var start = 0; start < rows; start += _maxBatch)
        {
            var batch = Math.Min(_maxBatch, rows - start);
            var values = batch * outputSize;
            Array.Clear(_passMean, 0, values);
            Array.Clear(_passSquares, 0, values);
            _passLowest.AsSpan(0, batch).Fill(float.PositiveInfinity);
            _passHighest.AsSpan(0, batch).Fill(float.NegativeInfinity);
            var sample = 0;
            for (var pass = 1; pass <= passes; pass++)
            {
                var result = _plan.Run(input.Slice(start * inputSize, batch * inputSize), batch, dropoutContext);
                for (var member = 0; member < members; member++)
                {
                    WriteOutput(members == 1 ? result : Member(result, batch, member), _passOutput, batch);
                    Accumulate(task, batch, values, ++sample);
                }
            }

            Finish(task, batch, outputSize, sample, output.Slice(start * outputSize, values), uncertainty.Slice(start, batch));
        }
    }

    private void EnsurePassBuffers()
    {
        if (_passOutput.Length == 0)
        {
            var values = _maxBatch * OutputSize;
            _passOutput = new float[values];
            _passMean = new double[values];
            _passSquares = new double[values];
            _passLowest = new float[_maxBatch];
            _passHighest = new float[_maxBatch];
        }
    }

    /// <summary>Folds one pass into the running means (Welford), on probabilities for binary.</summary>
    private void Accumulate(TaskKind task, int batch, int values, int pass)
    {
        if (task == TaskKind.Binary)
        {
            for (var i = 0; i < batch; i++)
            {
                var logit = _passOutput[i];
                _passLowest[i] = Math.Min(_passLowest[i], logit);
                _passHighest[i] = Math.Max(_passHighest[i], logit);
            }
        }

        for (var i = 0; i < values; i++)
        {
            var x = task == TaskKind.Binary ? 1 / (1 + Math.Exp(-_passOutput[i])) : _passOutput[i];
            var delta = x - _passMean[i];
            _passMean[i] += delta / pass;
            _passSquares[i] += delta * (x - _passMean[i]);
        }
    }

    private void Finish(TaskKind task, int batch, int outputSize, int passes, Span<float> output, Span<float> uncertainty)
    {
        for (var r = 0; r < batch; r++)
        {
            switch (task)
            {
                case TaskKind.Multiclass:
                    double entropy = 0;
                    for (var k = 0; k < outputSize; k++)
                    {
                        var p = _passMean[(r * outputSize) + k];
                        output[(r * outputSize) + k] = (float)p;
                        entropy -= p > 0 ? p * Math.Log(p) : 0;
                    }

                    uncertainty[r] = (float)entropy;
                    break;
                case TaskKind.Binary:
                    var mean = Math.Clamp(_passMean[r], 1e-15, 1 - 1e-15);
                    output[r] = _passLowest[r] == _passHighest[r] ? _passLowest[r] : (float)Math.Log(mean / (1 - mean));
                    uncertainty[r] = (float)Math.Sqrt(_passSquares[r] / passes);
                    break;
                default:
                    output[r] = (float)_passMean[r];
                    uncertainty[r] = (float)Math.Sqrt(_passSquares[r] / passes);
                    break;
            }
        }
    }
}
