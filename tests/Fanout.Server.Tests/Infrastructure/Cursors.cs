namespace Fanout.Server.Tests.Infrastructure;

/// <summary>
/// Reads the cursor ids a client receives: <c>epoch-seq</c> for one topic; for several, the
/// positions in sorted topic order joined with '_', then '.' and a tag of the topic set.
/// </summary>
public static class Cursors
{
    public static (string Epoch, long Seq) Parse(string position)
    {
        var dash = position.LastIndexOf('-');
        Assert.True(dash > 0, $"'{position}' is not an epoch-seq cursor.");
        return (position[..dash], long.Parse(position[(dash + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    public static long Seq(string id) => Parse(id).Seq;

    /// <summary>The positions of a multi-topic cursor, in its (sorted topic) order.</summary>
    public static (string Epoch, long Seq)[] ParseMany(string id) => id.Split('.')[0].Split('_').Select(Parse).ToArray();

    /// <summary>The topic-set tag of a multi-topic cursor.</summary>
    public static string Tag(string id)
    {
        var parts = id.Split('.');
        Assert.True(parts.Length == 2, $"'{id}' is not a multi-topic cursor.");
        return parts[1];
    }
}
