namespace Fanout.Mercure.Tests;

/// <summary>One node for a test class (anonymous subscribers refused); tests keep apart by unique topics.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    public MercureNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await MercureNode.StartAsync();

    public async Task DisposeAsync() => await Node.DisposeAsync();

    /// <summary>A topic IRI no other test uses.</summary>
    public static string Topic(string name) => $"https://example.com/{Guid.NewGuid():N}/{name}";
}
