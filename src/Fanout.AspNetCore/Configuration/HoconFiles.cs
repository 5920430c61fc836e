using System.Reflection;
using Akka.Configuration;

namespace Fanout.AspNetCore.Configuration;

/// <summary>
/// The Akka settings of a node: the <c>hocon/*.hocon</c> files built into this assembly, so an
/// app that embeds the hub needs nothing beside its executable, and over them any
/// <c>hocon/*.hocon</c> file beside the executable (Fanout.Server ships its copies there, for
/// operators to read and change).
/// </summary>
public static class HoconFiles
{
    private const string ResourcePrefix = "Fanout.hocon.";

    public static Config Load(string? directory = null)
    {
        var config = Config.Empty;
        var assembly = typeof(HoconFiles).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            config = ConfigurationFactory.ParseString(ReadResource(assembly, name)).WithFallback(config);
        }

        directory ??= Path.Combine(AppContext.BaseDirectory, "hocon");
        if (Directory.Exists(directory))
        {
            foreach (var file in Directory.GetFiles(directory, "*.hocon").Order(StringComparer.Ordinal))
            {
                config = ConfigurationFactory.ParseString(File.ReadAllText(file)).WithFallback(config);
            }
        }

        return config;
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The built-in Akka settings '{name}' are missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
