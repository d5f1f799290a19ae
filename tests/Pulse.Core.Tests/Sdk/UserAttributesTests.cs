using System.Text.Json.Nodes;
using Pulse.Core.Sdk;

namespace Pulse.Core.Tests.Sdk;

public sealed class UserAttributesTests
{
    [Fact]
    public void Set_wins_and_set_once_fills_only_missing_keys()
    {
        var merged = JsonNode.Parse(UserAttributes.Merge("""{"email":"a@b.c","plan":"free"}""", """{"plan":"pro"}""", """{"email":"x@y.z","source":"ad"}"""))!;

        Assert.Equal("a@b.c", merged["email"]!.GetValue<string>());
        Assert.Equal("pro", merged["plan"]!.GetValue<string>());
        Assert.Equal("ad", merged["source"]!.GetValue<string>());
    }

    [Fact]
    public void Nested_objects_are_replaced_not_merged()
    {
        var merged = UserAttributes.Merge("""{"address":{"city":"Seoul","zip":"1"}}""", """{"address":{"city":"Busan"}}""", null);

        Assert.Equal("""{"address":{"city":"Busan"}}""", merged);
    }

    [Fact]
    public void Attributes_that_are_not_an_object_are_kept_under_previous()
    {
        Assert.Equal("""{"$previous":"[1]","a":1}""", UserAttributes.Merge("[1]", """{"a":1}""", null));
    }
}
