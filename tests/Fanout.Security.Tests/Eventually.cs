namespace Fanout.Security.Tests;

public static class Eventually
{
    /// <summary>
    /// Retries <paramref name="attempt"/> until it returns true, at a short fixed pace, and
    /// fails after <paramref name="timeout"/>: for states the server reaches on its own time.
    /// </summary>
    public static async Task TrueAsync(Func<Task<bool>> attempt, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await attempt())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within {timeout.TotalSeconds:0} s: {what}");
            await Task.Delay(100);
        }
    }
}
