namespace Fanout.Load.Subscribers;

public enum SubscriberRole
{
    /// <summary>Reads as fast as it can; its latency and delivery are the run's headline.</summary>
    Fast,

    /// <summary>Stops reading once connected and resumes after publishing ends.</summary>
    Stalled,

    /// <summary>Reads at a set number of events per second.</summary>
    Paced,
}
