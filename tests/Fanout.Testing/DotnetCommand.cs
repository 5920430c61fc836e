using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace Fanout.Testing;

/// <summary>Runs the .NET CLI (<c>dotnet publish</c>, <c>dotnet pack</c>) to its end, bounded in time, from the repository root.</summary>
public static class DotnetCommand
{
    /// <summary>The configuration the calling test assembly was built in, for <c>--no-build</c> commands on the same build.</summary>
    public static string ConfigurationOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>Returns the output (both streams); throws with it when the command fails or outlasts <paramref name="within"/>.</summary>
    public static string Run(TimeSpan within, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryFolder.Find(),
            Environment = { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
        };

        // No MSBuild worker nodes stay behind after the command.
        foreach (var argument in arguments.Append("-nodeReuse:false"))
        {
            start.ArgumentList.Add(argument);
        }

        var output = new ConcurrentQueue<string>();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        process.ErrorDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var command = "dotnet " + string.Join(' ', arguments);
        if (!process.WaitForExit(within))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} took more than {within.TotalMinutes} min:\n{string.Join('\n', output)}");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} exited {process.ExitCode}:\n{string.Join('\n', output)}");
        }

        return string.Join('\n', output);
    }
}
