using Fanout.AspNetCore.Mercure;
using Microsoft.Extensions.Primitives;

namespace Fanout.Mercure.Tests;

/// <summary>The publish form's fields and the hub's answers to bad ones.</summary>
public sealed class MercurePublishFormSpec
{
    [Fact]
    public void Every_field_becomes_part_of_the_update_the_first_topic_canonical()
    {
        var (update, status, _) = Read(("topic", ["https://example.com/a", "https://example.com/alt"]), ("data", ["d"]), ("private", ["on"]), ("id", ["urn:x"]), ("type", ["t"]), ("retry", ["50"]));

        Assert.Equal(200, status);
        Assert.Equal(new MercureUpdate(update!.Topics, "d", true, "urn:x", "t", 50), update);
        Assert.Equal(["https://example.com/a", "https://example.com/alt"], update.Topics);
    }

    [Fact]
    public void Without_an_id_one_is_generated_as_a_urn_uuid_and_private_may_be_empty()
    {
        var (update, _, _) = MercurePublishForm.Read(Form(("topic", ["t"]), ("private", [""])), MercurePublishForm.NewId);

        Assert.Matches("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", update!.Id);
        Assert.True(update.Private);
        Assert.Equal((string.Empty, null, null), (update.Data, update.Type, update.Retry));
    }

    [Theory]
    [InlineData(400, "Missing \"topic\" parameter", "data", "x")]
    [InlineData(400, "Invalid \"retry\" parameter", "retry", "soon")]
    [InlineData(400, "Invalid \"retry\" parameter", "retry", "-1")]
    [InlineData(400, "\"id\" field must not start with \"#\"", "id", "#1")]
    [InlineData(400, "\"id\" field contains a forbidden control character", "id", "a\nretry: 1")]
    [InlineData(400, "\"type\" field contains a forbidden control character", "type", "a\r\ndata: x")]
    public void A_bad_field_is_a_400_with_the_hubs_words(int expected, string problem, string name, string value)
    {
        var fields = name == "data" ? Form((name, [value])) : Form(("topic", ["t"]), (name, [value]));

        var (update, status, text) = MercurePublishForm.Read(fields, MercurePublishForm.NewId);

        Assert.Null(update);
        Assert.Equal((expected, problem), (status, text));
    }

    [Fact]
    public void A_topic_in_the_hubs_own_namespace_is_forbidden_and_too_many_topics_are_refused()
    {
        Assert.Equal(403, Read(("topic", ["https://h/.well-known/mercure/subscriptions/x/y"])).Status);
        Assert.Equal(400, Read(("topic", Enumerable.Range(0, 1001).Select(i => $"t{i}").ToArray())).Status);
    }

    private static (MercureUpdate? Update, int Status, string? Problem) Read(params (string Name, string[] Values)[] fields) =>
        MercurePublishForm.Read(Form(fields), () => "generated");

    private static Dictionary<string, StringValues> Form(params (string Name, string[] Values)[] fields) =>
        fields.ToDictionary(f => f.Name, f => new StringValues(f.Values));
}
