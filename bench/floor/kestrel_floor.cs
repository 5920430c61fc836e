#:sdk Microsoft.NET.Sdk.Web
// File-based apps default to native AOT, whose analyzers refuse reflection-based JSON (and
// warnings are errors here); the floor runs on the JIT, as Fanout does.
#:property PublishAot=false
// The least ASP.NET Core spends on one publish-shaped request: POST with a 512-byte JSON body,
// read it whole, answer 202 with a JSON document of the publish answer's size (the body's
// length stands in for the seq). No middleware, no actors, no parsing of the body.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapPost("/topics/{topic}/events", async (HttpContext context, string topic) =>
{
    using var buffer = new MemoryStream();
    await context.Request.Body.CopyToAsync(buffer);
    return Results.Json(new Answer(topic, buffer.Length, "x"), statusCode: 202);
});
app.Run();
record Answer(string Topic, long Seq, string Id);
