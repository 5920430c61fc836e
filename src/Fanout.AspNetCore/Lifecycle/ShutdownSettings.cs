namespace Fanout.AspNetCore.Lifecycle;

/// <summary>How a node leaves, bound from <c>Fanout:Shutdown</c>.</summary>
public sealed class ShutdownSettings
{
    /// <summary>The subsection of <c>Fanout</c> these settings bind from.</summary>
    public const string SectionName = "Shutdown";

    /// <summary>Upper bound from the stop signal to the process exit.</summary>
    public int DrainSeconds { get; set; } = 15;

    /// <summary>The <c>retry:</c> of <c>fanout.shutdown</c> frames is spread over this many ms.</summary>
    public int ReconnectSpreadMilliseconds { get; set; } = 5000;

    public IEnumerable<string> Validate()
    {
        if (DrainSeconds < 0)
        {
            yield return "Fanout:Shutdown:DrainSeconds may not be negative.";
        }

        if (ReconnectSpreadMilliseconds < 0)
        {
            yield return "Fanout:Shutdown:ReconnectSpreadMilliseconds may not be negative.";
        }
    }
}
