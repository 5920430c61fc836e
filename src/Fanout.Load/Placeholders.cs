namespace Fanout.Load;

/// <summary>The names templates may use.</summary>
public static class Placeholders
{
    public const string Base = "{base}";
    public const string Channel = "{channel}";
    public const string Seq = "{seq}";
    public const string Payload = "{payload}";

    /// <summary>A Mercure topic selector, percent-encoded (<c>--topic-selector</c>); only the command line resolves it.</summary>
    public const string Selector = "{selector}";
}
