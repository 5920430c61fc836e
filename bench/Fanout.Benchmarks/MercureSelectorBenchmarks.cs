using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using Fanout.AspNetCore.Mercure;
using Fanout.Sse;
using Fanout.Topics;

namespace Fanout.Benchmarks;

/// <summary>
/// What a Mercure subscriber pays per event of the reserved topic it is handed, on top of
/// Fanout's own path: <see cref="MercureDialect.Frame"/> over an update whose decode and
/// frame are already cached on the event (the first Mercure subscriber of a node pays
/// those once), i.e. the look-up of the cached frame plus matching the update's topic
/// against the subscriber's selector. 1,000 updates per invoke, over 1 topic IRI or 1,000
/// distinct ones; figures are per update considered (delivered or filtered out).
/// </summary>
public class MercureSelectorBenchmarks
{
    private const int Updates = 1000;
    private const string Epoch = "bench0000epoch";

    private TopicEvent[] _events = [];
    private MercureDialect _dialect = null!;
    private Regex _template = null!;

    public enum SelectorKind
    {
        /// <summary>No matching, the cached frame's look-up only: the floor every selector pays.</summary>
        None,

        /// <summary>The exact IRI of the first topic (with 1,000 topics it matches one update in 1,000).</summary>
        Exact,

        /// <summary><c>https://example.com/load/{id}</c>, matching every topic; match results cached (as the endpoint runs).</summary>
        Template,

        /// <summary>The same template's regex run on every update: what the match cache saves.</summary>
        TemplateNoCache,

        /// <summary><c>*</c>.</summary>
        All,
    }

    [Params(SelectorKind.None, SelectorKind.Exact, SelectorKind.Template, SelectorKind.TemplateNoCache, SelectorKind.All)]
    public SelectorKind Selector { get; set; }

    [Params(1, 1000)]
    public int Topics { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var data = "fl:1:0:" + new string('x', 500);
        _events = Enumerable.Range(0, Updates).Select(i =>
        {
            var update = new MercureUpdate([Iri(i % Topics)], data, false, $"urn:uuid:{Guid.NewGuid()}", null, null);
            var seq = i + 1L;
            var evt = new TopicEvent(MercureTopic.Name, Epoch, seq, SseEncoder.IdLine(new TopicPosition(Epoch, seq).ToString()), SseEncoder.EventBody(MercureTopic.EventType, update.ToJson()));
            _ = evt.FrameFor(MercureEncoding.Instance);
            return evt;
        }).ToArray();

        var selector = Selector switch
        {
            SelectorKind.Exact => Iri(0),
            SelectorKind.All => TopicSelectors.All,
            _ => "https://example.com/load/{id}",
        };
        _dialect = new MercureDialect([selector], [], new TopicSelectors());
        _ = UriTemplatePattern.TryCompile("https://example.com/load/{id}", out var template);
        _template = template!;

        // Warm the match cache, as a running subscriber has it after the first update of each topic.
        _ = Deliver();
    }

    [Benchmark(OperationsPerInvoke = Updates, Description = "per update: cached frame + selector match")]
    public int Deliver() => Selector switch
    {
        SelectorKind.None => FrameLookup(),
        SelectorKind.TemplateNoCache => TemplateRegex(),
        _ => DialectFrames(),
    };

    private int FrameLookup()
    {
        var delivered = 0;
        foreach (var evt in _events)
        {
            if (evt.FrameFor(MercureEncoding.Instance).Frame.Length > 0)
            {
                delivered++;
            }
        }

        return delivered;
    }

    private int DialectFrames()
    {
        var delivered = 0;
        foreach (var evt in _events)
        {
            if (_dialect.Frame(evt) is not null)
            {
                delivered++;
            }
        }

        return delivered;
    }

    private int TemplateRegex()
    {
        var delivered = 0;
        foreach (var evt in _events)
        {
            if (evt.FrameFor(MercureEncoding.Instance).Update is { } update && _template.IsMatch(update.Topics[0]))
            {
                delivered++;
            }
        }

        return delivered;
    }

    private static string Iri(int index) => $"https://example.com/load/t-{index}";
}
