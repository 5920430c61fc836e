namespace Fanout.Server.Tests.Infrastructure;

/// <summary>Reads the cursor ids a client receives (<c>epoch-seq</c>, joined with '_' for several topics).</summary>
public static class Cursors
{
    public static (string Epoch, long Seq) Parse(string position)
    {
        var dash = position.LastIndexOf('-');
        Assert.True(dash > 0, $"'{position}' is not an epoch-seq cursor.");
        return (position[..dash], long.Parse(position[(dash + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    public static long Seq(string id) => Parse(id).Seq;

    public static (string Epoch, long Seq)[] ParseMany(string id) => id.Split('_').Select(Parse).ToArray();
}
