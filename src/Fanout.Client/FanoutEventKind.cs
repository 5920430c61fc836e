namespace Fanout.Client;

/// <summary>What a <see cref="FanoutEvent"/> is. Connected, shutdown and keepalive frames are handled inside the client.</summary>
public enum FanoutEventKind
{
    /// <summary>A published event.</summary>
    Event,

    /// <summary><c>fanout.lagged</c>: events of <see cref="FanoutEvent.Topic"/> were not delivered (see <see cref="FanoutEvent.Lagged"/>).</summary>
    Lagged,

    /// <summary><c>fanout.reset</c>: the cursor could not be honoured for <see cref="FanoutEvent.Topic"/>; reload state (see <see cref="FanoutEvent.Reset"/>).</summary>
    Reset,
}
