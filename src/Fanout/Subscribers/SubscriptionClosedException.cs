namespace Fanout.Subscribers;

/// <summary>The server ended a subscription on purpose (an operator closed it); the stream fails with this.</summary>
public sealed class SubscriptionClosedException : Exception
{
    public SubscriptionClosedException(string reason)
        : base($"Subscription closed: {reason}")
    {
        Reason = reason;
    }

    public string Reason { get; }
}
