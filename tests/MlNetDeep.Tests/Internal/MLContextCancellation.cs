using System.Reflection;
using Microsoft.ML;

namespace MlNetDeep.Tests.Internal;

/// <summary>
/// Cancels an <see cref="MLContext"/> the way ML.NET's AutoML does. <c>MLContext.CancelExecution</c> is internal to
/// ML.NET (AutoML reaches it as a friend assembly), so tests call it by reflection.
/// </summary>
public static class MLContextCancellation
{
    /// <summary>Cancels every host of <paramref name="mlContext"/>: their <c>CheckAlive</c> throws from now on.</summary>
    public static void CancelExecution(this MLContext mlContext)
    {
        var method = typeof(MLContext).GetMethod("CancelExecution", BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes)
            ?? throw new MissingMethodException(nameof(MLContext), "CancelExecution");
        method.Invoke(mlContext, null);
    }
}
