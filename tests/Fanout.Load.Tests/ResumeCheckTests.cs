namespace Fanout.Load.Tests;

/// <summary>The publish-only run over many topics and the resume check that reads them back, against a node in this process.</summary>
public sealed class ResumeCheckTests
{
    [Fact]
    public async Task Every_sampled_topic_returns_exactly_its_events_from_the_start_cursor()
    {
        await using var node = await InProcessNode.StartAsync();
        var options = PublishOnly(node) with { Events = 200, Topics = 20, CheckTopics = 5 };

        var summary = await new LoadRun(options, TextWriter.Null).RunAsync(CancellationToken.None);

        var json = summary.ToJsonLine();
        Assert.Equal(200, summary.Publish.Succeeded);
        Assert.Equal(20, summary.Publish.Topics);
        Assert.NotNull(summary.ResumeCheck);
        Assert.True(summary.ResumeCheck!.Complete == 5, json);
        Assert.Equal(0, summary.ResumeCheck.Missing + summary.ResumeCheck.Unexpected + summary.ResumeCheck.Resets);
        Assert.Equal(5, summary.ResumeCheck.CompleteMs.Count);
        Assert.Null(summary.ResumeCheck.FirstProblem);
    }

    [Fact]
    public async Task A_topic_missing_events_fails_the_check()
    {
        // The check is told 20 more events went out than did: each checked topic lacks one.
        await using var node = await InProcessNode.StartAsync();
        var options = PublishOnly(node) with { Events = 40, Topics = 20, CheckTopics = 3, CheckPublished = 60, CheckSeconds = 2 };

        var summary = await new LoadRun(options, TextWriter.Null).RunAsync(CancellationToken.None);

        Assert.Equal(40, summary.Publish.Succeeded);
        Assert.NotNull(summary.ResumeCheck);
        Assert.Equal(0, summary.ResumeCheck!.Complete);
        Assert.Equal(3, summary.ResumeCheck.Missing);
        Assert.Equal(3, summary.ResumeCheck.TimedOut);
        Assert.NotNull(summary.ResumeCheck.FirstProblem);
    }

    private static LoadOptions PublishOnly(InProcessNode node)
    {
        var options = node.FanoutRun("spread-") with
        {
            Subscribers = 0,
            PayloadBytes = 256,
            InFlight = 8,
            PublishSeconds = 30,
            MaxSeconds = 60,
        };
        Assert.Empty(LoadOptionsValidator.Validate(options));
        return options;
    }
}
