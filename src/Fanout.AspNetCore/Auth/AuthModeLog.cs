namespace Fanout.AspNetCore.Auth;

/// <summary>
/// Says at start which auth mode the node runs in: information when tokens are required,
/// a warning when anyone may publish or subscribe, and warnings for settings that do less
/// than an operator would expect.
/// </summary>
internal sealed class AuthModeLog(AuthSettings auth, ILoggerFactory loggers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The category stays FanoutAuthentication's: operators grep for it (docs/security.md).
        var logger = loggers.CreateLogger(typeof(FanoutAuthentication).FullName!);
        var mode = FanoutAuthentication.DescribeMode(auth);
        if (auth.Enabled && !auth.AllowAnonymousPublish)
        {
            logger.LogInformation("{AuthMode}", mode);
        }
        else
        {
            logger.LogWarning("{AuthMode}", mode);
        }

        if (!string.IsNullOrWhiteSpace(auth.Authority) && string.IsNullOrWhiteSpace(auth.Audience))
        {
            logger.LogWarning("Fanout:Auth:Authority is set without Fanout:Auth:Audience: tokens the authority issued for any application are accepted.");
        }

        if (!auth.Enabled && auth.AllowAnonymousPublish)
        {
            logger.LogWarning("Fanout:Auth:AllowAnonymousPublish has no effect while auth is off.");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
