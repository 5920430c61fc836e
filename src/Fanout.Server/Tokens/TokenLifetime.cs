using System.Globalization;
using System.Text.RegularExpressions;

namespace Fanout.Server.Tokens;

/// <summary>Lifetimes as people write them: <c>90s</c>, <c>30m</c>, <c>1h</c>, <c>7d</c>, or a TimeSpan (<c>01:30:00</c>).</summary>
public static partial class TokenLifetime
{
    public static bool TryParse(string text, out TimeSpan lifetime)
    {
        if (Short().Match(text.Trim()) is { Success: true } match
            && int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            lifetime = match.Groups["unit"].Value switch
            {
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                _ => TimeSpan.FromDays(n),
            };
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out lifetime);
    }

    [GeneratedRegex("^(?<n>[0-9]{1,6})(?<unit>[smhd])$")]
    private static partial Regex Short();
}
