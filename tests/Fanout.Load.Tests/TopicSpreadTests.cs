using Fanout.Load.Publishing;

namespace Fanout.Load.Tests;

public sealed class TopicSpreadTests
{
    [Fact]
    public void One_topic_keeps_the_run_channel_and_every_seq()
    {
        Assert.Equal("load", TopicSpread.ChannelOf("load", 1, 7));
        Assert.Equal([1L, 2, 3], TopicSpread.SeqsOf(1, 0, 3));
    }

    [Fact]
    public void Events_go_round_robin_over_the_topics()
    {
        Assert.Equal("load-0", TopicSpread.ChannelOf("load", 3, 1));
        Assert.Equal("load-2", TopicSpread.ChannelOf("load", 3, 3));
        Assert.Equal("load-0", TopicSpread.ChannelOf("load", 3, 4));
        Assert.Equal([2L, 5, 8], TopicSpread.SeqsOf(3, 1, 9));
        Assert.Equal([3L, 6], TopicSpread.SeqsOf(3, 2, 7));
    }

    [Fact]
    public void The_publish_url_names_each_events_topic()
    {
        var template = new RequestTemplate("http://127.0.0.1:1/topics/{channel}/events", "{payload}", "t", 64, topics: 4);
        Assert.Equal("http://127.0.0.1:1/topics/t-0/events", template.Url(1).ToString());
        Assert.Equal("http://127.0.0.1:1/topics/t-3/events", template.Url(4).ToString());
        Assert.Equal("http://127.0.0.1:1/topics/t-1/events", template.Url(6).ToString());
    }

    [Fact]
    public void The_sample_takes_first_middle_and_last_and_no_topic_twice()
    {
        Assert.Equal([0L, 500_000, 999_999], TopicSpread.Sample(1_000_000, 3));
        Assert.Equal([0L, 1, 2], TopicSpread.Sample(3, 10));
        Assert.Equal([0L], TopicSpread.Sample(5, 1));
        Assert.Empty(TopicSpread.Sample(5, 0));
    }

    [Fact]
    public void Many_topics_need_a_publish_only_run()
    {
        var options = new LoadOptions
        {
            PublishUrl = "http://127.0.0.1:8080/topics/{channel}/events",
            PublishBody = "{payload}",
            SubscribeUrls = ["http://127.0.0.1:8080/topics/{channel}/events"],
            Topics = 10,
            Subscribers = 1,
        };

        Assert.Contains(LoadOptionsValidator.Validate(options), p => p.Contains("subscribers to 0", StringComparison.Ordinal));
        Assert.Empty(LoadOptionsValidator.Validate(options with { Subscribers = 0, CheckTopics = 10 }));
        Assert.NotEmpty(LoadOptionsValidator.Validate(options with { Subscribers = 0, CheckTopics = 11 }));
    }
}
