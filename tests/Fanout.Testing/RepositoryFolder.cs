namespace Fanout.Testing;

/// <summary>The checkout the tests were built from (the folder of Actors.sln): docs/, deploy/, src/ and samples/ are read from there.</summary>
public static class RepositoryFolder
{
    public static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Actors.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Actors.sln above {AppContext.BaseDirectory}.");
    }
}
