namespace Fanout.Load.Tests;

public sealed class LoadOptionsValidatorTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/x", true)]
    [InlineData("http://127.3.4.5:8080/x", true)]
    [InlineData("http://[::1]:8080/x", true)]
    [InlineData("http://localhost:8080/x", true)]
    [InlineData("http://10.0.0.1:8080/x", false)]
    [InlineData("http://192.168.1.2/x", false)]
    [InlineData("http://example.com/x", false)]
    [InlineData("http://localhost.example.com/x", false)]
    public void Only_loopback_targets_are_accepted(string url, bool accepted) =>
        Assert.Equal(accepted, LoadOptionsValidator.IsLoopback(new Uri(url)));

    [Fact]
    public void A_run_against_another_host_is_refused()
    {
        var options = new LoadOptions
        {
            PublishUrl = "http://10.1.2.3:8080/topics/{channel}/events",
            PublishBody = "{payload}",
            SubscribeUrls = ["http://127.0.0.1:8080/topics/{channel}/events"],
        };

        Assert.Contains(LoadOptionsValidator.Validate(options), p => p.Contains("loopback", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 1, "Batch must be >= 1 event per request.")]
    [InlineData(10, 4, "A batch goes to one topic: --batch needs --topics 1.")]
    public void A_batch_that_cannot_work_is_refused(int batch, int topics, string problem)
    {
        var options = new LoadOptions
        {
            PublishUrl = "http://127.0.0.1:8080/topics/{channel}/events:batch",
            PublishBody = "{payload}",
            SubscribeUrls = ["http://127.0.0.1:8080/topics/{channel}/events"],
            Subscribers = 0,
            Topics = topics,
            Batch = batch,
        };

        Assert.Contains(problem, LoadOptionsValidator.Validate(options));
    }
}
