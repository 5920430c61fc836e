using System.IO.Compression;
using System.Xml.Linq;
using Fanout.Testing;

namespace Fanout.AspNetCore.Tests;

/// <summary>
/// <c>dotnet pack</c> of the four library projects into a temporary folder, once per test class:
/// the build these tests already made (<c>--no-build</c>, same configuration), so it takes
/// seconds, not a Release compile. A release packs with <c>dotnet pack -c Release</c> at the root.
/// </summary>
public sealed class PackedPackages : IDisposable
{
    public static readonly string[] Ids = ["Fanout.Protocol", "Fanout", "Fanout.Client", "Fanout.AspNetCore"];

    public const string ReleaseRepositoryUrl = "https://git.example.invalid/fanout.git";

    private static readonly TimeSpan PackWithin = TimeSpan.FromMinutes(3);

    public PackedPackages()
    {
        Folder = Directory.CreateTempSubdirectory("fanout-packed-").FullName;
        WithUrlFolder = Directory.CreateTempSubdirectory("fanout-packed-url-").FullName;
        try
        {
            var configuration = DotnetCommand.ConfigurationOf(typeof(PackedPackages).Assembly);
            foreach (var id in Ids)
            {
                DotnetCommand.Run(PackWithin, "pack", Path.Combine("src", id, id + ".csproj"), "-c", configuration, "--no-build", "-o", Folder);
            }

            DotnetCommand.Run(
                PackWithin, "pack", Path.Combine("src", "Fanout.Protocol", "Fanout.Protocol.csproj"), "-c", configuration, "--no-build",
                "-o", WithUrlFolder, $"-p:RepositoryUrl={ReleaseRepositoryUrl}");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Folder { get; }

    /// <summary>Fanout.Protocol packed as a release does, with its repository address.</summary>
    public string WithUrlFolder { get; }

    public static string Version =>
        XDocument.Load(Path.Combine(RepositoryFolder.Find(), "Directory.Build.props")).Descendants("Version").Single().Value;

    public string Package(string id) => Path.Combine(Folder, $"{id}.{Version}.nupkg");

    public string Symbols(string id) => Path.Combine(Folder, $"{id}.{Version}.snupkg");

    public static IReadOnlyList<string> Entries(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        return [.. zip.Entries.Select(e => e.FullName)];
    }

    /// <summary>The nuspec's <c>metadata</c> element, namespace stripped.</summary>
    public static XElement Metadata(string package, string id)
    {
        using var zip = ZipFile.OpenRead(package);
        using var nuspec = zip.GetEntry(id + ".nuspec")!.Open();
        var document = XDocument.Load(nuspec);
        foreach (var element in document.Descendants())
        {
            element.Name = element.Name.LocalName;
        }

        return document.Root!.Element("metadata")!;
    }

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        Directory.Delete(WithUrlFolder, recursive: true);
    }
}
