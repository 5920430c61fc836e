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
    string? PublishBatchUrl = null)
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

    public static ServerPreset? Named(string name) => name.ToLowerInvariant() switch
    {
        "fanout" => Fanout,
        "nchan" => Nchan,
        _ => null,
    };
}
