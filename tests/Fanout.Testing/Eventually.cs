using System.Diagnostics;

namespace Fanout.Testing;

/// <summary>Awaits a condition with a deadline (cluster convergence is not instantaneous).</summary>
public static class Eventually
{
    private static readonly TimeSpan AssertInterval = TimeSpan.FromMilliseconds(50);

    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet / restarting: try again until the deadline.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {within.TotalSeconds:0} s: {what}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// As TestKit's AwaitAssert: retries <paramref name="assertion"/> until it passes, or fails
    /// with its last failure once <paramref name="timeout"/> has passed.
    /// </summary>
    public static async Task AssertAsync(Func<Task> assertion, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Exception ex) when (clock.Elapsed < timeout && ex is not OutOfMemoryException)
            {
                await Task.Delay(AssertInterval);
            }
        }
    }

    public static Task AssertAsync(Action assertion, TimeSpan timeout) =>
        AssertAsync(() =>
        {
            assertion();
            return Task.CompletedTask;
        }, timeout);
}
