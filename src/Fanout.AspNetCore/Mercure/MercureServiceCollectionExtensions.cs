using Akka.Hosting;

namespace Fanout.AspNetCore.Mercure;

/// <summary>The services and the actor of the Mercure endpoint.</summary>
public static class MercureServiceCollectionExtensions
{
    public static IServiceCollection AddFanoutMercure(this IServiceCollection services, MercureSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<MercureTokens>();
        services.AddSingleton<TopicSelectors>();
        services.AddSingleton<MercureSubscriptionRegistry>();
        services.AddSingleton<MercureSubscriptionEvents>();
        services.AddCors(options => MercureCors.AddPolicy(options, settings));
        return services;
    }

    /// <summary>The serializer of the Mercure messages that cross nodes, and this node's subscriptions actor.</summary>
    public static AkkaConfigurationBuilder WithFanoutMercure(this AkkaConfigurationBuilder akka) =>
        akka.AddHocon(MercureSerializer.Hocon, HoconAddMode.Prepend)
            .WithActors((system, _, resolver) => system.ActorOf(
                MercureSubscriptionsActor.Props(resolver.GetService<MercureSubscriptionRegistry>()), MercureSubscriptionsActor.Name));
}
