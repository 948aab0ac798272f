namespace Orchestrator.Kubernetes.Tests.Integration;

/// <summary>Waits for a condition on something other than a job (pods, services), failing with a description when it does not hold in time.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {timeout}: {describe()}");
            await Task.Delay(50);
        }
    }
}
