using System.Globalization;

namespace Fanout.AspNetCore.Limits;

/// <summary>
/// The process's soft limit of open files (Linux: "Max open files" in /proc/self/limits).
/// Every connection holds one, and a process that reaches it cannot start a thread.
/// </summary>
public static class OpenFileLimit
{
    private const string LimitsFile = "/proc/self/limits";
    private const string OpenFilesRow = "Max open files";

    /// <summary>This process's soft limit; null where it is unknown or unlimited.</summary>
    public static long? OfThisProcess()
    {
        try
        {
            return File.Exists(LimitsFile) ? Parse(File.ReadAllText(LimitsFile)) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The soft limit from the text of a <c>/proc/&lt;pid&gt;/limits</c> file; null when absent or unlimited.</summary>
    public static long? Parse(string limits)
    {
        foreach (var line in limits.Split('\n'))
        {
            if (!line.StartsWith(OpenFilesRow, StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line[OpenFilesRow.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft)
                ? soft
                : null;
        }

        return null;
    }

    /// <summary>The connections a process may hold while keeping <paramref name="reserve"/> files free; null: no bound.</summary>
    public static long? ConnectionBound(long? limit, int reserve) =>
        limit is { } files && reserve > 0 ? Math.Max(1, files - reserve) : null;
}
