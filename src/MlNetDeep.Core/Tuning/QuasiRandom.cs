using MlNetDeep.Compute;

namespace MlNetDeep.Tuning;

/// <summary>
/// Space-filling point sets in the unit cube: a scrambled Halton sequence (candidates for the acquisition search)
/// and Latin hypercube designs (the initial trials). Both are deterministic given the random stream.
/// </summary>
internal sealed class QuasiRandom
{
    private static readonly int[] Primes =
    [
        2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113,
        127, 131, 137, 139, 149, 151, 157, 163, 167, 173, 179, 181, 191, 193, 197, 199, 211, 223, 227, 229,
    ];

    private readonly int[][] _permutations;
    private readonly RandomGenerator _random;
    private long _index;

    /// <summary>
    /// A Halton sequence in <paramref name="dimensions"/> dimensions whose digits are scrambled by one random
    /// permutation per dimension (fixing 0, so expansions stay finite); dimensions beyond the 50th prime fall back
    /// to plain random draws.
    /// </summary>
    public QuasiRandom(int dimensions, RandomGenerator random)
    {
        _random = random;
        _permutations = new int[Math.Min(dimensions, Primes.Length)][];
        for (var d = 0; d < _permutations.Length; d++)
        {
            var permutation = new int[Primes[d]];
            for (var i = 0; i < permutation.Length; i++)
            {
                permutation[i] = i;
            }

            random.Shuffle(permutation.AsSpan(1));
            _permutations[d] = permutation;
        }

        Dimensions = dimensions;
        _index = 1 + random.NextInt(64);
    }

    /// <summary>The number of coordinates per point.</summary>
    public int Dimensions { get; }

    /// <summary>Writes the next point of the sequence to <paramref name="point"/> (length <see cref="Dimensions"/>).</summary>
    public void Next(Span<double> point)
    {
        var index = _index++;
        for (var d = 0; d < Dimensions; d++)
        {
            point[d] = d < _permutations.Length ? RadicalInverse(index, Primes[d], _permutations[d]) : _random.NextDouble();
        }
    }

    /// <summary>
    /// A Latin hypercube design of <paramref name="count"/> points: in every dimension each of the
    /// <paramref name="count"/> equal strata holds exactly one point, placed uniformly inside it.
    /// </summary>
    public static double[][] LatinHypercube(int count, int dimensions, RandomGenerator random)
    {
        var points = new double[count][];
        for (var i = 0; i < count; i++)
        {
            points[i] = new double[dimensions];
        }

        var strata = new int[count];
        for (var d = 0; d < dimensions; d++)
        {
            for (var i = 0; i < count; i++)
            {
                strata[i] = i;
            }

            random.Shuffle(strata);
            for (var i = 0; i < count; i++)
            {
                points[i][d] = (strata[i] + random.NextDouble()) / count;
            }
        }

        return points;
    }

    private static double RadicalInverse(long index, int radix, int[] permutation)
    {
        var result = 0.0;
        var scale = 1.0 / radix;
        while (index > 0)
        {
            result += permutation[index % radix] * scale;
            index /= radix;
            scale /= radix;
        }

        return result;
    }
}
