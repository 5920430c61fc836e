namespace Fanout.AspNetCore.Mercure;

/// <summary>The services of the Mercure endpoint.</summary>
public static class MercureServiceCollectionExtensions
{
    public static IServiceCollection AddFanoutMercure(this IServiceCollection services, MercureSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<MercureTokens>();
        services.AddSingleton<TopicSelectors>();
        services.AddCors(options => MercureCors.AddPolicy(options, settings));
        return services;
    }
}
