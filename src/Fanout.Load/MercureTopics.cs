namespace Fanout.Load;

/// <summary>
/// How the Mercure preset names topics: the load tool's channel <c>{channel}</c> (and, with
/// <c>--topics N</c>, each <c>{channel}-i</c>) becomes the topic IRI <see cref="Iri"/>;
/// subscribers use that exact IRI or any selector (<c>https://example.com/load/{id}</c>,
/// <c>*</c>), percent-encoded into the query or form.
/// </summary>
public static class MercureTopics
{
    public const string Iri = "https://example.com/load/" + Placeholders.Channel;

    /// <summary>
    /// <paramref name="selector"/> percent-encoded for a query or form value, every
    /// <c>{channel}</c> kept as the placeholder (it is filled, encoded, per event or run).
    /// </summary>
    public static string Escape(string selector) =>
        string.Join(Placeholders.Channel, selector.Split(Placeholders.Channel).Select(Uri.EscapeDataString));
}
