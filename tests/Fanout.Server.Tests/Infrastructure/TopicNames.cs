namespace Fanout.Server.Tests.Infrastructure;

/// <summary>Names a fresh topic per test, so tests sharing a node never see each other's events.</summary>
public static class TopicNames
{
    public static string Fresh(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 200)];
}
