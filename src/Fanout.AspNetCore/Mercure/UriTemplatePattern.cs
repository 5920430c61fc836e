using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace Fanout.AspNetCore.Mercure;

/// <summary>
/// Compiles an RFC 6570 URI template (levels 1–4) into an anchored regular expression that
/// matches the strings the template can expand to: literals stand for themselves, and each
/// expression for what its operator may produce (e.g. <c>{id}</c> unreserved characters
/// and percent-encodings, no '/'; <c>{+path}</c> reserved characters too; <c>{/a,b}</c> up
/// to two path segments; <c>{?q}</c> a query). The NuGet mirror has no URI template library
/// that matches (Std.UriTemplate only expands), hence this small one.
/// </summary>
public static class UriTemplatePattern
{
    private const string Unreserved = @"(?:[A-Za-z0-9\-._~]|%[0-9A-Fa-f]{2})";
    private const string UnreservedOrReserved = @"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})";

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    /// <summary>The pattern of <paramref name="template"/>; false when it is not a valid URI template (then it is a plain string).</summary>
    public static bool TryCompile(string template, [NotNullWhen(true)] out Regex? pattern)
    {
        pattern = null;
        var regex = new StringBuilder("^");
        var literalStart = 0;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '}')
            {
                return false;
            }

            if (c != '{')
            {
                continue;
            }

            regex.Append(Regex.Escape(template[literalStart..i]));
            var close = template.IndexOf('}', i + 1);
            if (close < 0 || !TryExpression(template.AsSpan(i + 1, close - i - 1), regex))
            {
                return false;
            }

            i = close;
            literalStart = close + 1;
        }

        regex.Append(Regex.Escape(template[literalStart..])).Append('$');
        pattern = new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, MatchTimeout);
        return true;
    }

    private static bool TryExpression(ReadOnlySpan<char> expression, StringBuilder regex)
    {
        if (expression.IsEmpty)
        {
            return false;
        }

        var op = expression[0] is '+' or '#' or '.' or '/' or ';' or '?' or '&' ? expression[0] : '\0';
        var variables = op == '\0' ? expression : expression[1..];
        if (!TryCountVariables(variables, out var count, out var exploded))
        {
            return false;
        }

        // Upper bound of prefixed parts: one per variable, any number once one explodes.
        var parts = exploded ? "*" : "{0," + count + "}";
        regex.Append(op switch
        {
            '\0' => $"(?:{Unreserved}|,)*",
            '+' => $"{UnreservedOrReserved}*",
            '#' => $"(?:#{UnreservedOrReserved}*)?",
            '.' => $@"(?:\.(?:{Unreserved}|,)*){parts}",
            '/' => $"(?:/(?:{Unreserved}|,)*){parts}",
            ';' => $"(?:;(?:{Unreserved}|[=,])*){parts}",
            '?' => $@"(?:\?(?:{Unreserved}|[=,&])*)?",
            _ => $"(?:&(?:{Unreserved}|[=,&])*){parts}",
        });
        return true;
    }

    /// <summary>Checks a variable list (<c>name</c>, <c>name:3</c>, <c>name*</c>, comma-separated).</summary>
    private static bool TryCountVariables(ReadOnlySpan<char> list, out int count, out bool exploded)
    {
        count = 0;
        exploded = false;
        foreach (var range in list.Split(','))
        {
            var spec = list[range];
            if (spec.EndsWith("*"))
            {
                exploded = true;
                spec = spec[..^1];
            }
            else if (spec.IndexOf(':') is var colon and >= 0)
            {
                var length = spec[(colon + 1)..];
                if (length.IsEmpty || length.Length > 4 || !int.TryParse(length, out var max) || max <= 0)
                {
                    return false;
                }

                spec = spec[..colon];
            }

            if (!IsVariableName(spec))
            {
                return false;
            }

            count++;
        }

        return count > 0;
    }

    private static bool IsVariableName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name[0] == '.' || name[^1] == '.')
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '%')
            {
                if (i + 2 >= name.Length || !Uri.IsHexDigit(name[i + 1]) || !Uri.IsHexDigit(name[i + 2]))
                {
                    return false;
                }

                i += 2;
            }
            else if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
