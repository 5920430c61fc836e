using Akka.Actor;
using Akka.Serialization;
using Fanout.AspNetCore.Mercure;

namespace Fanout.Mercure.Tests;

/// <summary>The Mercure messages that cross nodes are bound to <see cref="MercureSerializer"/> and come back as they went.</summary>
public sealed class MercureSerializerSpec : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("mercure-serializer", MercureSerializer.Hocon);

    [Fact]
    public void The_subscriptions_question_and_answer_round_trip()
    {
        object[] messages =
        [
            GetMercureSubscriptions.Instance,
            new MercureSubscriptionList([]),
            new MercureSubscriptionList(
            [
                new MercureSubscription("urn:uuid:1", "https://example.com/{id}", "{\"user\":\"é\"}"),
                new MercureSubscription("urn:uuid:2", "*", null),
            ]),
        ];
        foreach (var message in messages)
        {
            var serializer = Assert.IsType<MercureSerializer>(_system.Serialization.FindSerializerFor(message));

            var back = serializer.FromBinary(serializer.ToBinary(message), serializer.Manifest(message));

            if (message is MercureSubscriptionList list)
            {
                Assert.Equal(list.Subscriptions, ((MercureSubscriptionList)back).Subscriptions);
            }
            else
            {
                Assert.Equal(message, back);
            }
        }
    }

    public void Dispose() => _system.Dispose();
}
