using System.Text;
using Fanout.Load.Publishing;

namespace Fanout.Load.Tests;

public sealed class PayloadTests
{
    [Fact]
    public void A_body_carries_seq_and_send_time_at_the_asked_size_through_a_json_string()
    {
        var template = new RequestTemplate("http://127.0.0.1/topics/{channel}/events", """{"data":"{payload}","n":{seq}}""", "c", 100);

        var body = template.Body(42, 123456789);

        var text = Encoding.ASCII.GetString(body);
        Assert.StartsWith("""{"data":"fl:42:123456789:xx""", text);
        Assert.EndsWith("""x","n":42}""", text);
        Assert.Equal(100 + """{"data":"","n":42}""".Length, body.Length);
        Assert.True(Payload.TryRead(body, out var seq, out var sent));
        Assert.Equal((42L, 123456789L), (seq, sent));
    }

    [Fact]
    public void Data_without_the_marker_is_not_an_event() =>
        Assert.False(Payload.TryRead("""{"topic":"t","dropped":3}"""u8, out _, out _));
}
