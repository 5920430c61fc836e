using System.Diagnostics;

namespace Fanout.Server.Tests.Infrastructure;

/// <summary>
/// Awaits a condition the way TestKit's AwaitAssert does: retries an assertion until it
/// passes or a deadline passes, then fails with the last assertion's message.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

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
                await Task.Delay(Interval);
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
