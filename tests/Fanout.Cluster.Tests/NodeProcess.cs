using System.Diagnostics;

namespace Fanout.Cluster.Tests;

/// <summary>A node as its own process (the Fanout.Server build beside the tests), for what only a process shows: its exit, or a kill.</summary>
public static class NodeProcess
{
    public static Process Start(params string[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Fanout.Server.dll"));
        foreach (var setting in new[] { "--urls", "http://127.0.0.1:0", "--Fanout:Store:Kind=memory", "--Logging:LogLevel:Default=Warning" }.Concat(settings))
        {
            start.ArgumentList.Add(setting);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }
}
