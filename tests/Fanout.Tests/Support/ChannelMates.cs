using Fanout.Publishing;

namespace Fanout.Tests.Support;

/// <summary>Topic names that share a pub-sub channel with a given topic, or do not.</summary>
public static class ChannelMates
{
    /// <summary>A topic other than <paramref name="topic"/> on the same channel.</summary>
    public static string Of(string topic, int skip = 0) =>
        Candidates(topic).Where(t => TopicChannels.IndexOf(t) == TopicChannels.IndexOf(topic)).Skip(skip).First();

    /// <summary>A topic on a different channel from every one of <paramref name="topics"/>.</summary>
    public static string Apart(params string[] topics) =>
        Candidates(topics[0]).First(t => topics.All(other => TopicChannels.IndexOf(t) != TopicChannels.IndexOf(other)));

    // Bounded: with 1,024 channels the first mate is ≈ 1,000 names in.
    private static IEnumerable<string> Candidates(string topic) =>
        Enumerable.Range(0, 1_000_000).Select(i => $"{topic}-mate-{i}");
}
