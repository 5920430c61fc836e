using Fanout.AspNetCore.Configuration;
using Fanout.AspNetCore.Limits;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Xunit;

namespace Fanout.AspNetCore.Tests;

/// <summary>
/// The connection bound that keeps a node clear of its open-file limit: at the limit the
/// runtime cannot start a thread and the process exits ("Out of memory."), seen at 19,651
/// connections under a limit of 20,000.
/// </summary>
public sealed class OpenFileLimitTests
{
    private const string Limits = """
        Limit                     Soft Limit           Hard Limit           Units
        Max cpu time              unlimited            unlimited            seconds
        Max open files            20000                40000                files
        Max locked memory         8388608              8388608              bytes
        """;

    [Fact]
    public void The_soft_limit_is_read_from_the_limits_file() =>
        Assert.Equal(20_000, OpenFileLimit.Parse(Limits));

    [Fact]
    public void An_unlimited_or_missing_limit_is_no_limit()
    {
        Assert.Null(OpenFileLimit.Parse(Limits.Replace("20000", "unlimited", StringComparison.Ordinal)));
        Assert.Null(OpenFileLimit.Parse("Limit Soft Limit Hard Limit Units\n"));
    }

    [Fact]
    public void This_process_has_a_limit_on_linux()
    {
        if (OperatingSystem.IsLinux())
        {
            Assert.True(OpenFileLimit.OfThisProcess() > 0);
        }
        else
        {
            Assert.Null(OpenFileLimit.OfThisProcess());
        }
    }

    [Fact]
    public void Kestrel_keeps_the_reserve_free_of_connections()
    {
        var kestrel = new KestrelServerOptions().Limits;
        KestrelLimits.Apply(kestrel, new LimitSettings(), openFileLimit: 20_000);
        Assert.Equal(19_000, kestrel.MaxConcurrentConnections);
    }

    [Fact]
    public void A_reserve_of_zero_or_an_unknown_limit_leaves_connections_unbounded()
    {
        var kestrel = new KestrelServerOptions().Limits;
        KestrelLimits.Apply(kestrel, new LimitSettings { FileDescriptorReserve = 0 }, openFileLimit: 20_000);
        Assert.Null(kestrel.MaxConcurrentConnections);

        KestrelLimits.Apply(kestrel, new LimitSettings(), openFileLimit: null);
        Assert.Null(kestrel.MaxConcurrentConnections);
    }

    [Fact]
    public void A_negative_reserve_is_refused_naming_its_key() =>
        Assert.Contains(
            new LimitSettings { FileDescriptorReserve = -1 }.Validate(),
            problem => problem.Contains("Fanout:Limits:FileDescriptorReserve", StringComparison.Ordinal));
}
