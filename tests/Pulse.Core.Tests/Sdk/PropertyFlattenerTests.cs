using System.Text.Json;
using Pulse.Core.Sdk;

namespace Pulse.Core.Tests.Sdk;

public sealed class PropertyFlattenerTests
{
    [Fact]
    public void Nested_objects_become_dot_paths_and_scalars_text()
    {
        using var json = JsonDocument.Parse("""{"revenue": 42.5, "cart": {"items": 3, "meta": {"gift": true}}, "tags": [1, "a"], "none": null, "empty": {}, "off": false}""");

        var flat = PropertyFlattener.Flatten(json.RootElement);

        Assert.Equal(
            ["revenue=42.5", "cart.items=3", "cart.meta.gift=true", "tags=[1,\"a\"]", "off=false"],
            flat.Select(p => $"{p.Key}={p.Value}"));
    }

    [Fact]
    public void Rows_that_would_not_fit_the_index_are_left_to_the_stored_message()
    {
        var longKey = new string('k', Limits.MaxPropertyKeyLength + 1);
        var many = string.Join(',', Enumerable.Range(0, SdkLimits.MaxIndexedProperties + 10).Select(i => $"\"p{i}\": {i}"));
        using var json = JsonDocument.Parse($$"""{"{{longKey}}": 1, "long": "{{new string('v', Limits.MaxPropertyValueLength + 1)}}", {{many}}}""");

        var flat = PropertyFlattener.Flatten(json.RootElement);

        Assert.Equal(SdkLimits.MaxIndexedProperties, flat.Count);
        Assert.DoesNotContain(flat, p => p.Key == longKey || p.Key == "long");
        Assert.Equal("p0", flat[0].Key);
    }

    [Fact]
    public void Extra_rows_come_first_and_a_repeated_key_keeps_its_first_value()
    {
        using var json = JsonDocument.Parse("""{"name": "from properties", "a": 1}""");

        var flat = PropertyFlattener.Flatten(json.RootElement, [new Property("name", "Home")]);

        Assert.Equal(["name=Home", "a=1"], flat.Select(p => $"{p.Key}={p.Value}"));
    }
}
