using System.Globalization;

namespace Fanout.Load.Probes;

/// <summary>
/// Reads a process tree's resident memory and CPU time from /proc: the given pids and all
/// their descendants (nginx's master and workers count as one server). Linux only.
/// </summary>
public sealed class ProcessProbe
{
    /// <summary>USER_HZ, the unit of utime/stime in /proc/PID/stat: 100 on every mainstream Linux architecture.</summary>
    private const double TicksPerSecond = 100;

    private readonly IReadOnlyList<int> _roots;

    public ProcessProbe(IReadOnlyList<int> roots)
    {
        _roots = roots;
    }

    public static ProcessProbe Self() => new([Environment.ProcessId]);

    public ProcessSample Sample()
    {
        long rssKiB = 0;
        long ticks = 0;
        foreach (var pid in Tree())
        {
            rssKiB += ReadRssKiB(pid);
            ticks += ReadCpuTicks(pid);
        }

        return new ProcessSample(rssKiB, ticks / TicksPerSecond);
    }

    private IEnumerable<int> Tree()
    {
        var seen = new HashSet<int>();
        var pending = new Stack<int>(_roots);
        while (pending.Count > 0 && seen.Count < 10_000)
        {
            var pid = pending.Pop();
            if (!seen.Add(pid) || !Directory.Exists($"/proc/{pid}"))
            {
                continue;
            }

            yield return pid;
            foreach (var child in Children(pid))
            {
                pending.Push(child);
            }
        }
    }

    private static IEnumerable<int> Children(int pid)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (IOException)
        {
            yield break;
        }

        foreach (var task in tasks)
        {
            var text = ReadOrEmpty(Path.Combine(task, "children"));
            foreach (var part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var child))
                {
                    yield return child;
                }
            }
        }
    }

    private static long ReadRssKiB(int pid)
    {
        foreach (var line in ReadOrEmpty($"/proc/{pid}/status").Split('\n'))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var digits = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib : 0;
            }
        }

        return 0;
    }

    /// <summary>utime + stime: fields 14 and 15, counted after the parenthesised command name (which may hold spaces).</summary>
    private static long ReadCpuTicks(int pid)
    {
        var stat = ReadOrEmpty($"/proc/{pid}/stat");
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return 0;
        }

        var fields = stat[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime (14) is fields[11], stime (15) fields[12].
        return fields.Length > 12
               && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
               && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
            ? user + system
            : 0;
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}

/// <summary>Resident memory in KiB and CPU time (user + system) in seconds of a process tree at one moment.</summary>
public readonly record struct ProcessSample(long RssKiB, double CpuSeconds)
{
    public double RssMiB => Math.Round(RssKiB / 1024.0, 1);
}
