using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Fanout.AspNetCore.Auth;

/// <summary>
/// Decides <see cref="TopicAccessRequirement"/> for one topic: the token's grants, the
/// configured public topics (subscribe), and the anonymous-publish development switch.
/// With auth off, everything is allowed.
/// </summary>
public sealed class TopicAccessHandler : AuthorizationHandler<TopicAccessRequirement, string>
{
    private readonly AuthSettings _settings;
    private readonly TopicPatternSet _publicTopics;

    public TopicAccessHandler(AuthSettings settings)
    {
        _settings = settings;
        _publicTopics = TopicPatternSet.Parse(settings.PublicTopics, out _);
    }

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TopicAccessRequirement requirement, string topic)
    {
        if (IsAllowed(context.User, requirement.Operation, topic))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    private bool IsAllowed(ClaimsPrincipal user, TopicOperation operation, string topic)
    {
        if (!_settings.Enabled)
        {
            return true;
        }

        var grants = user.Identity?.IsAuthenticated == true
            ? TopicGrants.Of(user)
            : TopicGrants.None;
        var mayPublish = _settings.AllowAnonymousPublish || grants.Publish.Matches(topic);
        var maySubscribe = _publicTopics.Matches(topic) || grants.Subscribe.Matches(topic);
        return operation switch
        {
            TopicOperation.Publish => mayPublish,
            TopicOperation.Subscribe => maySubscribe,
            _ => mayPublish || maySubscribe,
        };
    }
}
