using Microsoft.AspNetCore.Authorization;

namespace Fanout.AspNetCore.Auth;

public enum TopicOperation
{
    Publish,
    Subscribe,

    /// <summary>See a topic's state (<c>GET /topics</c>): allowed to whoever may publish or subscribe.</summary>
    Read,
}

/// <summary>Asks whether the caller may perform <see cref="Operation"/> on the topic passed as the resource.</summary>
public sealed class TopicAccessRequirement : IAuthorizationRequirement
{
    public static readonly TopicAccessRequirement Publish = new(TopicOperation.Publish);
    public static readonly TopicAccessRequirement Subscribe = new(TopicOperation.Subscribe);
    public static readonly TopicAccessRequirement Read = new(TopicOperation.Read);

    private TopicAccessRequirement(TopicOperation operation) => Operation = operation;

    public TopicOperation Operation { get; }

    public static TopicAccessRequirement For(TopicOperation operation) => operation switch
    {
        TopicOperation.Publish => Publish,
        TopicOperation.Subscribe => Subscribe,
        _ => Read,
    };
}
