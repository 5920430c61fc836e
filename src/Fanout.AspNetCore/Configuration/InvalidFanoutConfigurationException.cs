namespace Fanout.AspNetCore.Configuration;

/// <summary>
/// The node's configuration cannot work. <see cref="Problems"/> holds one readable line per
/// problem, each naming its full key; the host prints them and exits with code 1 instead of
/// crashing with a stack trace.
/// </summary>
public sealed class InvalidFanoutConfigurationException : Exception
{
    public InvalidFanoutConfigurationException(IReadOnlyList<string> problems)
        : base("Invalid configuration: " + string.Join(" ", problems)) =>
        Problems = problems;

    public IReadOnlyList<string> Problems { get; }
}
