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
}
