using System.Collections.Concurrent;

namespace Fanout.Operations.Tests;

/// <summary>
/// <c>dotnet publish</c> of src/Fanout.Server into a temporary folder, once per test class.
/// It publishes the build these tests already made (<c>--no-build</c>, same configuration):
/// the layout and the files are what a Release publish writes, without compiling again on a
/// busy machine.
/// </summary>
public sealed class PublishedOutput : IDisposable
{
    private static readonly TimeSpan PublishWithin = TimeSpan.FromMinutes(5);

    private readonly ConcurrentBag<string> _emptyFolders = [];

    public PublishedOutput()
    {
        RepositoryRoot = RepositoryFolder.Find();
        Folder = Path.Combine(Path.GetTempPath(), "fanout-published-" + Guid.NewGuid().ToString("N"));
        DotnetCommand.Run(
            PublishWithin,
            "publish", Path.Combine("src", "Fanout.Server", "Fanout.Server.csproj"),
            "-c", DotnetCommand.ConfigurationOf(typeof(PublishedOutput).Assembly), "--no-build", "-o", Folder);
    }

    public string RepositoryRoot { get; }

    /// <summary>The publish folder: what gets copied to /opt/fanout or into the image.</summary>
    public string Folder { get; }

    /// <summary>An empty folder to start a node from, so nothing can come from the working directory.</summary>
    public string NewEmptyFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "fanout-elsewhere-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        _emptyFolders.Add(folder);
        return folder;
    }

    public void Dispose()
    {
        foreach (var folder in _emptyFolders.Append(Folder).Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
