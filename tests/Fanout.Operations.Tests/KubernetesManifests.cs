using YamlDotNet.RepresentationModel;

namespace Fanout.Operations.Tests;

/// <summary>The objects of deploy/kubernetes, read as YAML, to check the manifests against each other and the node.</summary>
public sealed class KubernetesManifests
{
    private readonly List<YamlMappingNode> _objects = [];

    public KubernetesManifests(string folder)
    {
        Folder = folder;
        foreach (var file in Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = File.OpenText(file))
            {
                stream.Load(reader);
            }

            _objects.AddRange(stream.Documents.Select(d => (YamlMappingNode)d.RootNode));
        }
    }

    public string Folder { get; }

    public YamlMappingNode Single(string kind, string? name = null) =>
        Assert.Single(_objects, o => Text(o, "kind") == kind && (name is null || Text(o, "metadata", "name") == name));

    public IEnumerable<YamlMappingNode> OfKind(string kind) => _objects.Where(o => Text(o, "kind") == kind);

    /// <summary>The node at a path of mapping keys, or null where the path ends early.</summary>
    public static YamlNode? At(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    public static string? Text(YamlNode node, params string[] path) => (At(node, path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlMappingNode> Items(YamlNode node, params string[] path) =>
        (At(node, path) as YamlSequenceNode)?.Children.Cast<YamlMappingNode>() ?? [];

    public static IEnumerable<string> Strings(YamlNode node, params string[] path) =>
        (At(node, path) as YamlSequenceNode)?.Children.Cast<YamlScalarNode>().Select(s => s.Value ?? "") ?? [];
}
