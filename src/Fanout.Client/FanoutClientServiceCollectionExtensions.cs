using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Fanout.Client;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="FanoutClient"/> with IHttpClientFactory.</summary>
public static class FanoutClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="FanoutClient"/> whose requests go through the named
    /// client <see cref="FanoutClient.HttpClientName"/>: the retry handler (Microsoft.Extensions.Http.Resilience)
    /// and then the token handler. Returns that client's builder, for more handlers or a primary handler.
    /// </summary>
    /// <example><c>services.AddFanoutClient(o => o.BaseAddress = new Uri("http://127.0.0.1:8080"));</c></example>
    public static IHttpClientBuilder AddFanoutClient(this IServiceCollection services, Action<FanoutClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<FanoutClientOptions>().Configure(configure);
        var builder = services.AddHttpClient(FanoutClient.HttpClientName, (provider, http) =>
            http.Timeout = OptionsOf(provider).RequestTimeout);
        builder.AddResilienceHandler("fanout-retry", (pipeline, context) =>
            pipeline.AddRetry(PublishRetry.Options(OptionsOf(context.ServiceProvider))));
        builder.AddHttpMessageHandler(provider =>
        {
            var options = OptionsOf(provider);
            return new BearerTokenHandler(ct => options.TokenProvider is { } tokens ? tokens(ct) : ValueTask.FromResult<string?>(null));
        });
        services.TryAddSingleton(provider =>
        {
            var factory = provider.GetRequiredService<IHttpClientFactory>();
            return new FanoutClient(() => factory.CreateClient(FanoutClient.HttpClientName), OptionsOf(provider));
        });
        return builder;
    }

    private static FanoutClientOptions OptionsOf(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<FanoutClientOptions>>().Value;
}
