namespace Fanout.Load;

/// <summary>
/// Ready-made templates for the servers this tool is used against. Any template given on
/// the command line wins over the preset's.
/// </summary>
public sealed record ServerPreset(
    string PublishUrl,
    string PublishBody,
    string PublishContentType,
    string SubscribeUrl,
    string WarmupUrl,
    string? ReadyEvent,
    bool SeqFromEventId,
    string? PublishBatchUrl = null,
    string? SelectorSubscribeUrl = null)
{

    /// <summary>Fanout: JSON event with the payload as a string, SSE ids <c>epoch-seq</c>, live once <c>fanout.connected</c> arrives.</summary>
    public static readonly ServerPreset Fanout = new(
        "{base}/topics/{channel}/events",
        """{"type":"load","data":"{payload}"}""",
        "application/json",
        "{base}/topics/{channel}/events",
        "{base}/healthz",
        "fanout.connected",
        SeqFromEventId: true,
        PublishBatchUrl: "{base}/topics/{channel}/events:batch");

    /// <summary>nginx + nchan (shared/peers/nchan): raw body, EventSource subscriber, live once the headers arrive.</summary>
    public static readonly ServerPreset Nchan = new(
        "{base}/pub?id={channel}",
        "{payload}",
        "text/plain",
        "{base}/sub/{channel}",
        "{base}/nchan_status",
        ReadyEvent: null,
        SeqFromEventId: false);

    /// <summary>
    /// Fanout's Mercure endpoint (or any Mercure hub): a form publish to the topic IRI
    /// <see cref="MercureTopics.Iri"/>, subscribers on that exact IRI unless
    /// <c>--topic-selector</c> names another selector (<c>{selector}</c>); live once the
    /// headers arrive. Mercure ids are <c>urn:uuid:…</c>, so seqs come from the payload.
    /// </summary>
    public static readonly ServerPreset Mercure = new(
        "{base}/.well-known/mercure",
        "topic=" + MercureTopics.Escape(MercureTopics.Iri) + "&data=" + Placeholders.Payload,
        "application/x-www-form-urlencoded",
        "{base}/.well-known/mercure?topic=" + MercureTopics.Escape(MercureTopics.Iri),
        "{base}/healthz",
        ReadyEvent: null,
        SeqFromEventId: false,
        SelectorSubscribeUrl: "{base}/.well-known/mercure?topic=" + Placeholders.Selector);

    public static ServerPreset? Named(string name) => name.ToLowerInvariant() switch
    {
        "fanout" => Fanout,
        "nchan" => Nchan,
        "mercure" => Mercure,
        _ => null,
    };
}
