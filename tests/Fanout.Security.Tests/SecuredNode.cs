namespace Fanout.Security.Tests;

/// <summary>
/// One node with auth on (two HS256 keys, an audience, public topics <c>public/*</c>) and
/// small limits, shared by the tests that only read its behaviour.
/// </summary>
public sealed class SecuredNode : IAsyncLifetime
{
    public const int MaxEventBytes = 1024;
    public const int MaxBatchBytes = 4096;
    public const int MaxBatchEvents = 5;
    public const int MaxTopicsPerSubscription = 3;
    public const int HeadersTimeoutSeconds = 2;
    public const int BodyGraceSeconds = 2;

    public static readonly string[] Settings =
    [
        $"Fanout:Auth:SigningKey={TestTokens.Key}",
        $"Fanout:Auth:SigningKeys:0={TestTokens.RotatedKey}",
        $"Fanout:Auth:Audience={TestTokens.Audience}",
        "Fanout:Auth:PublicTopics:0=public/*",
        $"Fanout:Limits:MaxEventBytes={MaxEventBytes}",
        $"Fanout:Limits:MaxBatchBytes={MaxBatchBytes}",
        $"Fanout:Limits:MaxBatchEvents={MaxBatchEvents}",
        $"Fanout:Limits:MaxTopicsPerSubscription={MaxTopicsPerSubscription}",
        $"Fanout:Limits:RequestHeadersTimeoutSeconds={HeadersTimeoutSeconds}",
        "Fanout:Limits:MinRequestBodyBytesPerSecond=100",
        $"Fanout:Limits:MinRequestBodyGraceSeconds={BodyGraceSeconds}",
        "Fanout:Limits:PublishPermitLimit=100000",
    ];

    /// <summary>May do everything.</summary>
    public static readonly string Admin = TestTokens.Grant(publish: ["*"], subscribe: ["*"], subject: "admin");

    private TestNode? _node;

    public TestNode Node => _node ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(Settings);

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SecuredNodeCollection : ICollectionFixture<SecuredNode>
{
    public const string Name = "secured node";
}
