using Akka.Configuration;

namespace Fanout.Server.Configuration;

/// <summary>Loads the Akka settings shipped in <c>hocon/*.hocon</c> beside the executable.</summary>
public static class HoconFiles
{
    public static Config Load(string? directory = null)
    {
        directory ??= Path.Combine(AppContext.BaseDirectory, "hocon");
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Akka settings folder '{directory}' is missing; it ships with the build.");
        }

        var config = Config.Empty;
        foreach (var file in Directory.GetFiles(directory, "*.hocon").Order(StringComparer.Ordinal))
        {
            config = ConfigurationFactory.ParseString(File.ReadAllText(file)).WithFallback(config);
        }

        return config;
    }
}
