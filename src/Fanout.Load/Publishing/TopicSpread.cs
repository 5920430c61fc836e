using System.Globalization;

namespace Fanout.Load.Publishing;

/// <summary>
/// How a run spreads its events over topics: with one topic every event goes to the run's
/// channel; with N topics event <c>seq</c> goes to <c>{channel}-{(seq - 1) % N}</c>, so
/// topic k receives seqs k + 1, k + 1 + N, … in publish order. With as many topics as
/// events, every event opens a topic of its own (topic churn).
/// </summary>
public static class TopicSpread
{
    /// <summary>The channel (topic name) of the topic with index <paramref name="index"/>.</summary>
    public static string ChannelAt(string channel, int topics, long index) =>
        topics <= 1 ? channel : string.Create(CultureInfo.InvariantCulture, $"{channel}-{index}");

    /// <summary>The index of the topic event <paramref name="seq"/> goes to.</summary>
    public static long IndexOf(int topics, long seq) => topics <= 1 ? 0 : (seq - 1) % topics;

    /// <summary>The channel event <paramref name="seq"/> is published to.</summary>
    public static string ChannelOf(string channel, int topics, long seq) => ChannelAt(channel, topics, IndexOf(topics, seq));

    /// <summary>The seqs topic <paramref name="index"/> received when events 1..<paramref name="published"/> went out, in order.</summary>
    public static IEnumerable<long> SeqsOf(int topics, long index, long published)
    {
        var step = Math.Max(topics, 1);
        for (var seq = index + 1; seq <= published; seq += step)
        {
            yield return seq;
        }
    }

    /// <summary>
    /// <paramref name="count"/> topic indexes spread evenly from the first topic to the last
    /// (first, middle and last included once there are three), each at most once.
    /// </summary>
    public static IReadOnlyList<long> Sample(int topics, int count)
    {
        if (count <= 0 || topics <= 0)
        {
            return [];
        }

        if (count == 1)
        {
            return [0];
        }

        var picked = new SortedSet<long>();
        for (var i = 0; i < count; i++)
        {
            picked.Add((long)Math.Round(i * (topics - 1) / (double)(count - 1)));
        }

        return picked.ToList();
    }
}
