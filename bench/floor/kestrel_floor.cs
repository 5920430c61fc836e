#:sdk Microsoft.NET.Sdk.Web
#:property PublishAot=false
// The least ASP.NET Core spends on one publish-shaped request: POST with a 512-byte JSON body,
// read it whole, answer 202 with a small JSON document. No middleware, no actors.
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
