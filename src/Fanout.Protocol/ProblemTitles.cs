namespace Fanout.Protocol;

/// <summary>
/// The <c>title</c>s of the problem answers a node sends. Fixed titles are constants;
/// titles that name a value (a topic, a limit) are built by the methods, so the words live
/// in one place. Clients should branch on the status, and show the title to people.
/// </summary>
public static class ProblemTitles
{
    /// <summary>400: the topic in the path breaks the grammar (the detail says which rule).</summary>
    public const string InvalidTopicName = "Invalid topic name.";

    /// <summary>400: the body is not JSON.</summary>
    public const string BodyNotJson = "Body is not valid JSON.";

    /// <summary>400: the body's bytes are not UTF-8.</summary>
    public const string BodyNotUtf8 = "Body is not valid UTF-8.";

    /// <summary>400: a JSON string's escapes decode to a lone UTF-16 surrogate.</summary>
    public const string UnpairedSurrogate = "A JSON string holds an unpaired surrogate escape (\\uD800-\\uDFFF without its pair): it is not Unicode text.";

    /// <summary>400: a batch body is not an array.</summary>
    public const string BatchNotArray = "Batch body must be a JSON array of events.";

    /// <summary>400: a batch body is an empty array.</summary>
    public const string BatchEmpty = "Batch is empty.";

    /// <summary>400: <c>GET /events</c> without a <c>topic</c> parameter.</summary>
    public const string TopicParameterRequired = "At least one 'topic' query parameter is required.";

    /// <summary>401: a token was sent but rejected (expired, bad signature, wrong issuer...).</summary>
    public const string TokenRejected = "The bearer token was rejected.";

    /// <summary>415: the body's content type is not JSON.</summary>
    public const string ContentTypeNotJson = "Content-Type must be application/json.";

    /// <summary>405: a non-POST method on a publish path.</summary>
    public const string PublishWithPost = "Publish to /topics/{topic}/events.";

    /// <summary>405: a non-POST method on a batch path.</summary>
    public const string BatchWithPost = "Batches are published with POST.";

    /// <summary>408 and others: the request body could not be read.</summary>
    public const string BodyUnreadable = "The request body could not be read.";

    /// <summary>503: the journal failed or rejected the write; nothing was published.</summary>
    public const string StoreRejectedPublish = "The event store did not accept the publish.";

    /// <summary>503: the topic did not confirm in time; retry with the same key to publish at most once.</summary>
    public const string PublishNotConfirmed = "The topic did not confirm the publish in time.";

    /// <summary>503: the topic did not answer a read in time.</summary>
    public const string TopicDidNotAnswer = "The topic did not answer in time.";

    /// <summary>503: a subscription reached a node that is draining.</summary>
    public const string NodeShuttingDown = "This node is shutting down; connect to another node.";

    /// <summary>401: <c>GET /metrics</c> without a token while metrics need one.</summary>
    public const string MetricsTokenRequired = "Scraping /metrics needs a bearer token.";

    /// <summary>403: a token without the admin grant on <c>GET /metrics</c>.</summary>
    public const string MetricsNotGranted = "The token does not grant the operators' API ('admin': true), which /metrics is part of.";

    /// <summary>503: an admin request the cluster did not answer in time.</summary>
    public const string ClusterDidNotAnswer = "The cluster did not answer in time.";

    /// <summary>400: an event (or batch element) is not an object with <c>data</c>; <paramref name="at"/> is empty or <c>"Event {i}: "</c>.</summary>
    public static string EventNotObject(string at = "") => $"{at}an event must be a JSON object with a 'data' field.";

    /// <summary>400: an event has no <c>data</c>.</summary>
    public static string DataRequired(string at = "") => $"{at}'data' is required.";

    /// <summary>400: an event has a field other than type, data and key.</summary>
    public static string UnknownField(string field, string at = "") => $"{at}unknown field '{field}'; an event has 'type', 'data' and 'key'.";

    /// <summary>400: an event's <c>type</c> breaks <see cref="EventFields.IsValidType"/>.</summary>
    public static string InvalidType(string at = "") =>
        $"{at}'type' must be a string of 1-{EventFields.MaxTypeLength} characters A-Z a-z 0-9 . _ - : / and may not start with 'fanout.'.";

    /// <summary>400: an event's <c>key</c> breaks <see cref="EventFields.IsValidKey"/>.</summary>
    public static string InvalidKey(string at = "") => $"{at}'key' must be a string of 1-{EventFields.MaxKeyLength} printable characters.";

    /// <summary>400: a <c>topic</c> query parameter breaks the grammar; <paramref name="problem"/> says which rule.</summary>
    public static string InvalidTopicParameter(string topic, string problem) => $"Invalid topic '{topic}': {problem}";

    /// <summary>400: a subscription names more topics than the node allows.</summary>
    public static string TooManyTopics(int max) => $"A subscription may name at most {max} topics.";

    /// <summary>401: no token was sent for a topic that needs one; <paramref name="action"/> is <c>publish to</c> or <c>subscribe to</c>.</summary>
    public static string TokenRequired(string action, string topic) => $"A bearer token is required to {action} topic '{topic}'.";

    /// <summary>403: the token's grants do not cover the topic.</summary>
    public static string TopicNotGranted(string action, string topic) => $"The token does not allow to {action} topic '{topic}'.";

    /// <summary>404: <c>GET /topics/{topic}</c> for a topic without events.</summary>
    public static string TopicHasNoEvents(string topic) => $"Topic '{topic}' has no events.";

    /// <summary>413: a body over the size limit.</summary>
    public static string BodyTooLarge(long maxBytes) => $"Body is larger than {maxBytes} bytes.";

    /// <summary>413: one event of a batch whose data is over the event size limit.</summary>
    public static string EventDataTooLarge(int index, int maxEventBytes) => $"Event {index}: data is larger than {maxEventBytes} bytes.";

    /// <summary>400: <c>DELETE /admin/subscribers/{id}</c> with an id longer than ids are.</summary>
    public static string SubscriberIdTooLong(int maxLength) => $"A subscriber id has at most {maxLength} characters.";

    /// <summary>404: <c>DELETE /admin/subscribers/{id}</c> for an id no node serves.</summary>
    public static string SubscriberNotConnected(string id) => $"No subscriber '{id}' is connected to any node.";

    /// <summary>413: a batch with too many events.</summary>
    public static string BatchTooLong(int maxEvents) => $"Batch has more than {maxEvents} events.";

    /// <summary>429: the caller's publish rate is over the limit; <c>Retry-After</c> says when to retry.</summary>
    public static string TooManyPublishes(int permitLimit, int windowSeconds) =>
        $"Too many publish requests: at most {permitLimit} per {windowSeconds} s per caller.";

    /// <summary>503: the node serves its limit of subscribers; <c>Retry-After</c> says when to retry.</summary>
    public static string SubscriberLimitReached(int capacity) => $"This node already serves its limit of {capacity} subscribers; retry later.";
}
