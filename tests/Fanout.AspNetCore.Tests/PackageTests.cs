using Fanout.Testing;

namespace Fanout.AspNetCore.Tests;

/// <summary>The packages <c>dotnet pack</c> makes carry what a package feed and its users need.</summary>
public sealed class PackageTests(PackedPackages packed) : IClassFixture<PackedPackages>
{
    public static TheoryData<string> Ids => [.. PackedPackages.Ids];

    [Theory]
    [MemberData(nameof(Ids))]
    public void A_package_has_its_metadata_readme_licence_and_xml_docs(string id)
    {
        var package = packed.Package(id);
        var metadata = PackedPackages.Metadata(package, id);
        Assert.Equal(id, metadata.Element("id")!.Value);
        Assert.Equal(PackedPackages.Version, metadata.Element("version")!.Value);
        Assert.Equal("Apache-2.0", metadata.Element("license")!.Value);
        Assert.Equal("expression", metadata.Element("license")!.Attribute("type")!.Value);
        Assert.Equal("README.md", metadata.Element("readme")!.Value);
        Assert.True(metadata.Element("description")!.Value.Length > 40, $"{id} describes itself in a sentence.");
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element("authors")?.Value));
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element("tags")?.Value));

        var entries = PackedPackages.Entries(package);
        Assert.Contains("README.md", entries);
        Assert.Contains("LICENSE", entries);
        Assert.Contains($"lib/net10.0/{id}.dll", entries);
        Assert.Contains($"lib/net10.0/{id}.xml", entries);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void A_package_has_its_symbols_beside_it(string id)
    {
        Assert.Contains($"lib/net10.0/{id}.pdb", PackedPackages.Entries(packed.Symbols(id)));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_repository_is_git_at_the_commit_packed_and_names_no_address_unless_a_release_sets_one(string id)
    {
        var repository = PackedPackages.Metadata(packed.Package(id), id).Element("repository")!;
        Assert.Equal("git", repository.Attribute("type")!.Value);
        Assert.Equal(Head(), repository.Attribute("commit")!.Value);
        Assert.Null(repository.Attribute("url"));
    }

    [Fact]
    public void A_release_sets_the_repository_address_with_one_property()
    {
        var package = Path.Combine(packed.WithUrlFolder, $"Fanout.Protocol.{PackedPackages.Version}.nupkg");
        var metadata = PackedPackages.Metadata(package, "Fanout.Protocol");
        Assert.Equal(PackedPackages.ReleaseRepositoryUrl, metadata.Element("repository")!.Attribute("url")!.Value);
        Assert.Equal(PackedPackages.ReleaseRepositoryUrl, metadata.Element("projectUrl")!.Value);
    }

    [Fact]
    public void The_packages_depend_on_each_other_at_the_one_version()
    {
        Assert.Equal(["Fanout.Protocol"], Dependencies("Fanout.Client").Where(d => d.Id.StartsWith("Fanout", StringComparison.Ordinal)).Select(d => d.Id));
        Assert.Contains(("Fanout.Protocol", PackedPackages.Version), Dependencies("Fanout"));
        Assert.Contains(("Fanout", PackedPackages.Version), Dependencies("Fanout.AspNetCore"));
        Assert.All(Dependencies("Fanout.Client").Where(d => d.Id == "Fanout.Protocol"), d => Assert.Equal(PackedPackages.Version, d.Version));
    }

    private IEnumerable<(string Id, string Version)> Dependencies(string id) =>
        PackedPackages.Metadata(packed.Package(id), id).Descendants("dependency")
            .Select(d => (d.Attribute("id")!.Value, d.Attribute("version")!.Value));

    private static string Head()
    {
        var start = new System.Diagnostics.ProcessStartInfo("git", ["rev-parse", "HEAD"])
        {
            WorkingDirectory = RepositoryFolder.Find(),
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var git = System.Diagnostics.Process.Start(start)!;
        var head = git.StandardOutput.ReadToEnd().Trim();
        Assert.True(git.WaitForExit(TimeSpan.FromSeconds(30)), "git rev-parse HEAD did not finish.");
        return head;
    }
}
