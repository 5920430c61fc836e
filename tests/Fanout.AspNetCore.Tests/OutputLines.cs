using System.Collections.Concurrent;
using System.Text;
using Fanout.Testing;

namespace Fanout.AspNetCore.Tests;

/// <summary>A <see cref="TextWriter"/> a sample writes its lines to while the test awaits them.</summary>
public sealed class OutputLines : TextWriter
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly StringBuilder _partial = new();
    private readonly Lock _gate = new();

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines => [.. _lines];

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                _lines.Enqueue(_partial.ToString().TrimEnd('\r'));
                _partial.Clear();
            }
            else
            {
                _partial.Append(value);
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> lines match <paramref name="match"/>; returns them.</summary>
    public async Task<IReadOnlyList<string>> AwaitAsync(Func<string, bool> match, int count, TimeSpan within, string what)
    {
        await Eventually.HoldsAsync(() => Task.FromResult(Lines.Count(match) >= count), within, $"{count} line(s) {what}; output so far:\n{string.Join('\n', Lines)}");
        return [.. Lines.Where(match)];
    }
}
