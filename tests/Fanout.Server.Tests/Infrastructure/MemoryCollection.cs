namespace Fanout.Server.Tests.Infrastructure;

/// <summary>
/// Tests that measure the managed heap of this process. They run alone, after the
/// parallel tests, so no other node's allocations move the figures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    public const string Name = "memory";
}
