using System.Text;
using BenchmarkDotNet.Attributes;
using Fanout.AspNetCore.Http;
using Microsoft.AspNetCore.Http;

namespace Fanout.Benchmarks;

/// <summary>
/// What the publish endpoint spends on one request's body before the topic sees it: read
/// the body from the request stream (<see cref="EventBodyReader.ReadAsync"/>), then validate
/// and parse it into a draft (<see cref="EventBodyReader.ParseOne"/>). The body is the one
/// the load tool sends in P1-*: <c>{"type":"load","data":"…"}</c>, 512 B of data.
/// </summary>
public class PublishBodyBenchmarks
{
    private byte[] _body = [];
    private DefaultHttpContext _context = null!;
    private MemoryStream _stream = null!;

    [GlobalSetup]
    public void Setup()
    {
        _body = Encoding.UTF8.GetBytes("""{"type":"load","data":"fl:1:0:""" + new string('x', 505) + "\"}");
        _stream = new MemoryStream(_body, writable: false);
        _context = new DefaultHttpContext();
        _context.Request.ContentType = "application/json";
        _context.Request.ContentLength = _body.Length;
        _context.Request.Body = _stream;
    }

    [Benchmark]
    public int Parse() => EventBodyReader.ParseOne(_body).Draft!.Data.Length;

    [Benchmark]
    public async Task<int> ReadAndParse()
    {
        _stream.Position = 0;
        var (body, _) = await EventBodyReader.ReadAsync(_context.Request, 64 * 1024, CancellationToken.None);
        return EventBodyReader.ParseOne(body!).Draft!.Data.Length;
    }
}
