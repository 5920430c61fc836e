using System.Globalization;

namespace ConsoleClient;

/// <summary>The tail's options: where its cursor is kept, and how many items end it (none: until Ctrl+C).</summary>
public sealed record TailOptions(string? CursorFile, int? Count)
{
    public static bool TryParse(IReadOnlyList<string> args, out TailOptions options)
    {
        options = new TailOptions(null, null);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count)
            {
                return false;
            }

            switch (args[i])
            {
                case "--cursor":
                    options = options with { CursorFile = args[i + 1] };
                    break;
                case "--count" when int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var count) && count > 0:
                    options = options with { Count = count };
                    break;
                default:
                    return false;
            }
        }

        return true;
    }
}
