using System.Text;
using Fanout.Sse;
using Fanout.Tests.Support;
using Xunit;

namespace Fanout.Tests.Sse;

public sealed class SseEncoderSpec
{
    [Fact]
    public void Id_line_is_the_cursor_after_id_colon_space()
    {
        Assert.Equal("id: e1-7\n", Text(SseEncoder.IdLine("e1-7")));
    }

    [Fact]
    public void Event_body_is_the_type_and_the_compact_json_then_a_blank_line()
    {
        var body = SseEncoder.EventBody("order.created", """{"id":1,"items":["a","b"]}"""u8);

        Assert.Equal("event: order.created\ndata: {\"id\":1,\"items\":[\"a\",\"b\"]}\n\n", Text(body));
    }

    [Fact]
    public void Connected_frame_carries_retry_node_topics_and_resumed()
    {
        var frame = SseEncoder.Connected(3000, "akka.tcp://fanout@127.0.0.1:4053", ["orders", "a/b"], resumed: true);

        Assert.Equal(
            "retry: 3000\nevent: fanout.connected\ndata: {\"node\":\"akka.tcp://fanout@127.0.0.1:4053\",\"topics\":[\"orders\",\"a/b\"],\"resumed\":true}\n\n",
            Text(frame));
    }

    [Fact]
    public void Lagged_frame_says_how_many_and_which_seqs()
    {
        Assert.Equal(
            "event: fanout.lagged\ndata: {\"topic\":\"orders\",\"dropped\":3,\"fromSeq\":4,\"toSeq\":6}\n\n",
            Text(SseEncoder.Lagged("orders", 4, 6)));
        Assert.Equal(
            "event: fanout.lagged\ndata: {\"topic\":\"t\",\"dropped\":1,\"fromSeq\":9,\"toSeq\":9}\n\n",
            Text(SseEncoder.Lagged("t", 9, 9)));
    }

    [Fact]
    public void Reset_frame_carries_topic_and_reason()
    {
        Assert.Equal(
            "event: fanout.reset\ndata: {\"topic\":\"orders\",\"reason\":\"cursor-expired\"}\n\n",
            Text(SseEncoder.Reset("orders", "cursor-expired")));
    }

    [Fact]
    public void Shutdown_frame_carries_retry_and_node()
    {
        Assert.Equal(
            "retry: 5000\nevent: fanout.shutdown\ndata: {\"node\":\"n1\"}\n\n",
            Text(SseEncoder.Shutdown(5000, "n1")));
    }

    [Fact]
    public void Keepalive_is_a_comment_frame()
    {
        Assert.Equal(": keepalive\n\n", Text(SseEncoder.KeepAlive));
    }

    [Fact]
    public void A_standard_parser_reads_an_event_frame_back()
    {
        var frame = new SseFrame(SseEncoder.IdLine("e1-7"), SseEncoder.EventBody("order.created", """{"n":1}"""u8));

        var parsed = ParsedFrame.Of(frame);

        Assert.Equal("e1-7", parsed.Id);
        Assert.Equal("order.created", parsed.EventType);
        Assert.Equal("""{"n":1}""", parsed.Data);
        Assert.Equal(frame.Length, ParsedFrame.Bytes(frame).Length);
    }

    [Fact]
    public void A_standard_parser_reads_the_retry_of_the_connected_frame()
    {
        var parsed = ParsedFrame.Of(SseFrame.Of(SseEncoder.Connected(2500, "n\"1", ["t"], resumed: false)));

        Assert.Equal(TimeSpan.FromMilliseconds(2500), parsed.Retry);
        Assert.Equal(SseEncoder.ConnectedEvent, parsed.EventType);
        Assert.Equal("n\"1", parsed.Json.GetProperty("node").GetString());
        Assert.False(parsed.Json.GetProperty("resumed").GetBoolean());
    }

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
