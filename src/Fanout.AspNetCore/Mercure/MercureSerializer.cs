using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace Fanout.AspNetCore.Mercure;

/// <summary>Binary serializer for the Mercure messages that cross nodes (the subscriptions API's question and answers).</summary>
public sealed class MercureSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4_712;

    public const string Hocon = """
        akka.actor {
          serializers.fanout-mercure = "Fanout.AspNetCore.Mercure.MercureSerializer, Fanout.AspNetCore"
          serialization-bindings {
            "Fanout.AspNetCore.Mercure.GetMercureSubscriptions, Fanout.AspNetCore" = fanout-mercure
            "Fanout.AspNetCore.Mercure.MercureSubscriptionList, Fanout.AspNetCore" = fanout-mercure
          }
        }
        """;

    private const string GetManifest = "G";
    private const string ListManifest = "L";

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        GetMercureSubscriptions => GetManifest,
        MercureSubscriptionList => ListManifest,
        _ => throw new ArgumentException($"MercureSerializer cannot serialize {o.GetType()}.", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            switch (obj)
            {
                case GetMercureSubscriptions:
                    break;
                case MercureSubscriptionList list:
                    w.Write(list.Subscriptions.Count);
                    foreach (var s in list.Subscriptions)
                    {
                        w.Write(s.Subscriber);
                        w.Write(s.Topic);
                        w.Write(s.Payload is not null);
                        if (s.Payload is not null)
                        {
                            w.Write(s.Payload);
                        }
                    }

                    break;
                default:
                    throw new ArgumentException($"MercureSerializer cannot serialize {obj.GetType()}.", nameof(obj));
            }
        }

        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var r = new BinaryReader(new MemoryStream(bytes, writable: false));
        switch (manifest)
        {
            case GetManifest:
                return GetMercureSubscriptions.Instance;
            case ListManifest:
                var count = r.ReadInt32();
                var items = new MercureSubscription[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = new MercureSubscription(r.ReadString(), r.ReadString(), r.ReadBoolean() ? r.ReadString() : null);
                }

                return new MercureSubscriptionList(items);
            default:
                throw new SerializationException($"Unknown Mercure manifest '{manifest}'.");
        }
    }
}
