namespace Fanout.AspNetCore.Configuration;

/// <summary>The Akka.Management HTTP endpoint cluster bootstrap talks to (<c>Fanout:Management</c>).</summary>
public sealed class ManagementSettings
{
    /// <summary>Interface to bind. Unset: <c>Fanout:Remoting:Host</c> (127.0.0.1 by default).</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 8558;

    /// <summary>Host name other nodes use to reach it. Unset: <c>Fanout:Remoting:PublicHost</c>.</summary>
    public string? PublicHost { get; set; }

    public IEnumerable<string> Validate()
    {
        if (Port is < 1 or > 65535)
        {
            yield return "Fanout:Management:Port must be 1-65535.";
        }
    }
}
