using Fanout.Server;
using Fanout.AspNetCore.Configuration;
using Fanout.Server.Tokens;

if (TokenCommand.IsInvoked(args))
{
    return await TokenCommand.Create().Parse(args).InvokeAsync();
}

WebApplication node;
try
{
    node = FanoutNode.Build(args);
}
catch (InvalidFanoutConfigurationException invalid)
{
    // A setting that cannot work is the operator's to fix, not a crash: one line per
    // problem, no stack trace, and exit code 1 (supervisors read 134 as a crash).
    foreach (var problem in invalid.Problems)
    {
        await Console.Error.WriteLineAsync(problem);
    }

    return 1;
}
catch (PortInUseException inUse)
{
    // Another process holds this node's remoting or management port: this start fails
    // alone, and the node already there is left untouched.
    await Console.Error.WriteLineAsync(inUse.Message);
    return 1;
}

try
{
    await node.RunAsync();
}
catch (IOException bind) when (bind.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    await Console.Error.WriteLineAsync($"{bind.Message} Another process listens there: choose another address with --urls (or ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS).");
    return 1;
}

return 0;

/// <summary>Entry point; <see cref="FanoutNode"/> builds the node, <see cref="TokenCommand"/> mints tokens.</summary>
public partial class Program;
