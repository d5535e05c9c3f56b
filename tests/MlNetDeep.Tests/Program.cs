using System.Globalization;
using MlNetDeep.Tests.FeedForward;
using MlNetDeep.Tests.Internal;

namespace MlNetDeep.Tests;

/// <summary>
/// Entry point of the test assembly. The test runner does not call it; the persistence tests start this
/// assembly as a fresh process (<c>dotnet MlNetDeep.Tests.dll predict &lt;model.zip&gt;</c>, or <c>score-feedforward</c> for the
/// feed-forward trainers' models) to prove that a model
/// loads with nothing registered beforehand.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "predict")
        {
            foreach (var score in PersistenceScenario.LoadAndScore(args[1]))
            {
                Console.WriteLine(BitConverter.SingleToInt32Bits(score).ToString(CultureInfo.InvariantCulture));
            }

            return 0;
        }

        if (args.Length == 2 && args[0] == "score-feedforward")
        {
            foreach (var score in FeedForwardScenario.LoadAndScore(args[1]))
            {
                Console.WriteLine(BitConverter.SingleToInt32Bits(score).ToString(CultureInfo.InvariantCulture));
            }

            return 0;
        }

        if (args.Length == 1 && args[0] == "train-dropout")
        {
            foreach (var parameter in Training.VectorWidthScenario.TrainedParameters())
            {
                Console.WriteLine(BitConverter.SingleToInt32Bits(parameter).ToString(CultureInfo.InvariantCulture));
            }

            return 0;
        }

        Console.Error.WriteLine("Usage: dotnet MlNetDeep.Tests.dll predict <model.zip> | score-feedforward <model.zip> | train-dropout");
        return 2;
    }
}
