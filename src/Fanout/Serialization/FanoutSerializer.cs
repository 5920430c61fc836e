using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Fanout.Publishing;
using Fanout.Topics;

namespace Fanout.Serialization;

/// <summary>
/// Binary serializer for the messages that cross nodes. Frame bytes travel as raw bytes
/// (the JSON default would base64 them), and each event is written once per node, not per
/// subscriber. Bound in HOCON by <see cref="Hosting.FanoutAkkaExtensions"/>.
/// </summary>
public sealed class FanoutSerializer : SerializerWithStringManifest
{
    public const int Id = 4_711;

    private const string TopicEventManifest = "E";
    private const string PublishManifest = "P";
    private const string AcceptedManifest = "A";
    private const string ReadHistoryManifest = "R";
    private const string SliceManifest = "H";
    private const string GetStateManifest = "G";
    private const string StateManifest = "S";
    private const string GetSubscribersManifest = "L";
    private const string SubscribersManifest = "C";
    private const string SnapshotPageManifest = "T";
    private const string DiscardSnapshotManifest = "D";
    private const string GetDetailsManifest = "Q";
    private const string DetailsManifest = "I";
    private const string CloseSubscriberManifest = "X";
    private const string SubscriberClosedManifest = "Y";
    private const string PublishNotStoredManifest = "F";
    private const string LocateKeyManifest = "K";
    private const string KeyLocationManifest = "N";

    // Journal rows: the manifest and the leading format byte are stored with every event,
    // so they never change meaning; a new layout gets a new format byte.
    private const string JournalRecordManifest = "J";
    private const byte JournalRecordFormat = 1;

    public FanoutSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        TopicEvent => TopicEventManifest,
        PublishEvents => PublishManifest,
        EventsAccepted => AcceptedManifest,
        ReadHistory => ReadHistoryManifest,
        HistorySlice => SliceManifest,
        GetTopicState => GetStateManifest,
        TopicState => StateManifest,
        GetLocalSubscribers => GetSubscribersManifest,
        LocalSubscribers => SubscribersManifest,
        TopicSnapshotPage => SnapshotPageManifest,
        DiscardTopicSnapshot => DiscardSnapshotManifest,
        GetSubscriberDetails => GetDetailsManifest,
        SubscriberDetails => DetailsManifest,
        CloseSubscriber => CloseSubscriberManifest,
        SubscriberClosed => SubscriberClosedManifest,
        PublishNotStored => PublishNotStoredManifest,
        LocateKey => LocateKeyManifest,
        KeyLocation => KeyLocationManifest,
        TopicEventRecord => JournalRecordManifest,
        _ => throw new ArgumentException($"FanoutSerializer cannot serialize {o.GetType()}.", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream(obj is TopicEvent e ? e.SizeInBytes + 64 : 256);
        using (var writer = new BinaryWriter(stream))
        {
            Write(writer, obj);
        }

        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
        return manifest switch
        {
            TopicEventManifest => ReadEvent(reader),
            PublishManifest => new PublishEvents(reader.ReadString(), ReadList(reader, ReadDraft)),
            AcceptedManifest => new EventsAccepted(reader.ReadString(), reader.ReadString(), ReadList(reader, ReadAccepted)),
            ReadHistoryManifest => new ReadHistory(reader.ReadString(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt32()),
            SliceManifest => new HistorySlice(
                reader.ReadString(), reader.ReadString(), reader.ReadInt64(), reader.ReadInt64(), ReadList(reader, ReadEvent)),
            GetStateManifest => new GetTopicState(reader.ReadString()),
            StateManifest => new TopicState(
                reader.ReadString(), reader.ReadString(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt32(), reader.ReadInt64()),
            GetSubscribersManifest => GetLocalSubscribers.Instance,
            SubscribersManifest => ReadSubscribers(reader),
            SnapshotPageManifest => new TopicSnapshotPage(
                reader.ReadString(), reader.ReadString(), reader.ReadInt64(), reader.ReadBoolean(),
                ReadList(reader, ReadEvent), ReadList(reader, r => new RememberedKey(r.ReadString(), ReadAccepted(r)))),
            DiscardSnapshotManifest => new DiscardTopicSnapshot(reader.ReadString(), reader.ReadString()),
            GetDetailsManifest => GetSubscriberDetails.Instance,
            DetailsManifest => new SubscriberDetails(ReadList(reader, ReadSubscriberInfo)),
            CloseSubscriberManifest => new CloseSubscriber(reader.ReadString()),
            SubscriberClosedManifest => new SubscriberClosed(reader.ReadString(), reader.ReadBoolean()),
            PublishNotStoredManifest => new PublishNotStored(reader.ReadString(), reader.ReadString()),
            LocateKeyManifest => new LocateKey(reader.ReadString(), reader.ReadString()),
            KeyLocationManifest => new KeyLocation(
                reader.ReadString(), reader.ReadString(), reader.ReadString(),
                reader.ReadBoolean() ? reader.ReadInt64() : null, reader.ReadInt64(), reader.ReadInt64()),
            JournalRecordManifest => ReadRecord(reader),
            _ => throw new SerializationException($"Unknown Fanout manifest '{manifest}'."),
        };
    }

    private static void Write(BinaryWriter w, object obj)
    {
        switch (obj)
        {
            case TopicEvent e:
                WriteEvent(w, e);
                break;
            case PublishEvents p:
                w.Write(p.Topic);
                WriteList(w, p.Events, WriteDraft);
                break;
            case EventsAccepted a:
                w.Write(a.Topic);
                w.Write(a.Epoch);
                WriteList(w, a.Events, WriteAccepted);
                break;
            case ReadHistory r:
                w.Write(r.Topic);
                w.Write(r.AfterSeq);
                w.Write(r.UpToSeq);
                w.Write(r.MaxBytes);
                break;
            case HistorySlice h:
                w.Write(h.Topic);
                w.Write(h.Epoch);
                w.Write(h.FirstAvailableSeq);
                w.Write(h.LastSeq);
                WriteList(w, h.Events, WriteEvent);
                break;
            case GetTopicState g:
                w.Write(g.Topic);
                break;
            case TopicState s:
                w.Write(s.Topic);
                w.Write(s.Epoch);
                w.Write(s.LastSeq);
                w.Write(s.FirstAvailableSeq);
                w.Write(s.HistoryEvents);
                w.Write(s.HistoryBytes);
                break;
            case GetLocalSubscribers:
                break;
            case LocalSubscribers l:
                w.Write(l.Subscribers);
                w.Write(l.ByTopic.Count);
                foreach (var (topic, count) in l.ByTopic)
                {
                    w.Write(topic);
                    w.Write(count);
                }

                break;
            case TopicSnapshotPage t:
                w.Write(t.Topic);
                w.Write(t.Epoch);
                w.Write(t.LastSeq);
                w.Write(t.IsLast);
                WriteList(w, t.Events, WriteEvent);
                WriteList(w, t.Keys, (kw, k) =>
                {
                    kw.Write(k.Key);
                    WriteAccepted(kw, k.Accepted);
                });
                break;
            case DiscardTopicSnapshot d:
                w.Write(d.Topic);
                w.Write(d.Epoch);
                break;
            case GetSubscriberDetails:
                break;
            case SubscriberDetails d:
                WriteList(w, d.Subscribers, WriteSubscriberInfo);
                break;
            case CloseSubscriber c:
                w.Write(c.Id);
                break;
            case SubscriberClosed c:
                w.Write(c.Id);
                w.Write(c.Found);
                break;
            case PublishNotStored f:
                w.Write(f.Topic);
                w.Write(f.Reason);
                break;
            case LocateKey k:
                w.Write(k.Topic);
                w.Write(k.Key);
                break;
            case KeyLocation k:
                w.Write(k.Topic);
                w.Write(k.Key);
                w.Write(k.Epoch);
                w.Write(k.Seq.HasValue);
                if (k.Seq.HasValue)
                {
                    w.Write(k.Seq.Value);
                }

                w.Write(k.FirstAvailableSeq);
                w.Write(k.LastSeq);
                break;
            case TopicEventRecord j:
                WriteRecord(w, j);
                break;
            default:
                throw new ArgumentException($"FanoutSerializer cannot serialize {obj.GetType()}.", nameof(obj));
        }
    }

    private static void WriteEvent(BinaryWriter w, TopicEvent e)
    {
        w.Write(e.Topic);
        w.Write(e.Epoch);
        w.Write(e.Seq);
        WriteBytes(w, e.IdLine);
        WriteBytes(w, e.Body);
    }

    private static TopicEvent ReadEvent(BinaryReader r) =>
        new(r.ReadString(), r.ReadString(), r.ReadInt64(), ReadBytes(r), ReadBytes(r));

    private static void WriteRecord(BinaryWriter w, TopicEventRecord j)
    {
        w.Write(JournalRecordFormat);
        w.Write(j.Topic);
        w.Write(j.Epoch);
        w.Write(j.Seq);
        w.Write(j.Type);
        WriteBytes(w, j.Data);
        WriteOptional(w, j.Key);
        w.Write(j.AcceptedAtMs);
    }

    private static TopicEventRecord ReadRecord(BinaryReader r)
    {
        var format = r.ReadByte();
        if (format != JournalRecordFormat)
        {
            throw new SerializationException($"Journal record format {format} is newer than this node reads ({JournalRecordFormat}).");
        }

        return new TopicEventRecord(r.ReadString(), r.ReadString(), r.ReadInt64(), r.ReadString(), ReadBytes(r), ReadOptional(r), r.ReadInt64());
    }

    private static void WriteDraft(BinaryWriter w, EventDraft d)
    {
        w.Write(d.Type);
        WriteBytes(w, d.Data);
        w.Write(d.Key is not null);
        if (d.Key is not null)
        {
            w.Write(d.Key);
        }
    }

    private static EventDraft ReadDraft(BinaryReader r) =>
        new(r.ReadString(), ReadBytes(r), r.ReadBoolean() ? r.ReadString() : null);

    private static void WriteAccepted(BinaryWriter w, AcceptedEvent a)
    {
        w.Write(a.Seq);
        w.Write(a.Id);
        w.Write(a.Duplicate);
    }

    private static AcceptedEvent ReadAccepted(BinaryReader r) => new(r.ReadInt64(), r.ReadString(), r.ReadBoolean());

    private static LocalSubscribers ReadSubscribers(BinaryReader r)
    {
        var subscribers = r.ReadInt32();
        var count = r.ReadInt32();
        var byTopic = new Dictionary<string, int>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            byTopic[r.ReadString()] = r.ReadInt32();
        }

        return new LocalSubscribers(subscribers, byTopic);
    }

    private static void WriteSubscriberInfo(BinaryWriter w, SubscriberInfo s)
    {
        w.Write(s.Id);
        w.Write(s.Node);
        WriteList(w, s.Topics, (writer, topic) => writer.Write(topic));
        WriteOptional(w, s.RemoteAddress);
        WriteOptional(w, s.UserAgent);
        w.Write(s.ConnectedAt.UtcTicks);
        w.Write(s.Delivered);
        w.Write(s.Dropped);
        w.Write(s.MailboxDepth);
        w.Write(s.LastWriteAt?.UtcTicks ?? 0L);
    }

    private static SubscriberInfo ReadSubscriberInfo(BinaryReader r) =>
        new(
            r.ReadString(),
            r.ReadString(),
            ReadList(r, reader => reader.ReadString()),
            ReadOptional(r),
            ReadOptional(r),
            new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero),
            r.ReadInt64(),
            r.ReadInt64(),
            r.ReadInt32(),
            r.ReadInt64() is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null);

    private static void WriteOptional(BinaryWriter w, string? text)
    {
        w.Write(text is not null);
        if (text is not null)
        {
            w.Write(text);
        }
    }

    private static string? ReadOptional(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static void WriteBytes(BinaryWriter w, byte[] bytes)
    {
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader r) => r.ReadBytes(r.ReadInt32());

    private static void WriteList<T>(BinaryWriter w, IReadOnlyList<T> items, Action<BinaryWriter, T> write)
    {
        w.Write(items.Count);
        foreach (var item in items)
        {
            write(w, item);
        }
    }

    private static IReadOnlyList<T> ReadList<T>(BinaryReader r, Func<BinaryReader, T> read)
    {
        var count = r.ReadInt32();
        var items = new T[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = read(r);
        }

        return items;
    }
}
