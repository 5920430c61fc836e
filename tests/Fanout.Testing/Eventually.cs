namespace Fanout.Testing;

/// <summary>Awaits a condition with a deadline (cluster convergence is not instantaneous).</summary>
public static class Eventually
{
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
}
