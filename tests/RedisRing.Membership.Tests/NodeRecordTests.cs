using System.Text;

namespace RedisRing.Membership.Tests;

public sealed class NodeRecordTests
{
    private static bool Parse(string name, string json, out NodeRecord record, out string error) =>
        NodeRecord.TryParse(name, Encoding.UTF8.GetBytes(json), out record, out error);

    [Fact]
    public void Record_survives_a_json_round_trip()
    {
        var record = new NodeRecord(new NodeAddress("10.0.0.1", 6379), 3, NodeState.Joining, "abc123", "new node");
        Assert.True(NodeRecord.TryParse("10.0.0.1:6379", record.ToJson(), out var back, out var error), error);
        Assert.Equal(record, back);
        Assert.Equal("""{"version":2,"address":"10.0.0.1:6379","weight":3,"state":"joining","runId":"abc123","reason":"new node"}""", Encoding.UTF8.GetString(record.ToJson()));

        // Version 1 records (no reason) still read.
        Assert.True(Parse("10.0.0.1:6379", """{"version":1,"address":"10.0.0.1:6379","weight":3,"state":"joining","runId":"abc123"}""", out var v1, out error), error);
        Assert.Equal(record with { Reason = "" }, v1);
    }

    [Theory]
    [InlineData("not json at all", "not JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("""{"address":"h:1","state":"up"}""", "version")]
    [InlineData("""{"version":"1","address":"h:1","state":"up"}""", "version")]
    [InlineData("""{"version":1,"address":"h:1","state":5}""", "state")]
    [InlineData("""{"version":1,"address":"h:1","state":"ready"}""", "state")]
    [InlineData("""{"version":1,"address":"h:1"}""", "state")]
    [InlineData("""{"version":1,"address":"h:99999","state":"up"}""", "address")]
    [InlineData("""{"version":1,"address":"h h:1","state":"up"}""", "address")]
    [InlineData("""{"version":1,"address":17,"state":"up"}""", "address")]
    [InlineData("""{"version":1,"address":"other:1","state":"up"}""", "does not match")]
    [InlineData("""{"version":1,"address":"h:1","state":"up","weight":0}""", "weight")]
    [InlineData("""{"version":1,"address":"h:1","state":"up","weight":"2"}""", "weight")]
    public void Bad_data_is_rejected_with_a_reason(string json, string reasonPart)
    {
        Assert.False(Parse("h:1", json, out _, out var error));
        Assert.Contains(reasonPart, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Newer_format_versions_with_extra_fields_are_accepted()
    {
        Assert.True(Parse("h:1", """{"version":7,"address":"h:1","state":"up","runId":"r","zone":"b"}""", out var record, out var error), error);
        Assert.Equal(NodeState.Up, record.State);
        Assert.Equal(1, record.Weight);
    }

    [Fact]
    public void Membership_view_keeps_valid_nodes_and_lists_the_rejected_ones()
    {
        var view = MembershipView.From(
        [
            ("b:2", Encoding.UTF8.GetBytes("""{"version":1,"address":"b:2","state":"joining"}""")),
            ("a:1", Encoding.UTF8.GetBytes("""{"version":1,"address":"a:1","state":"up"}""")),
            ("c:3", Encoding.UTF8.GetBytes("garbage")),
        ]);
        Assert.Equal(["a:1", "b:2"], view.Nodes.Select(n => n.Address.ToString()));
        Assert.Equal(["a:1"], view.Up.Select(n => n.Address.ToString()));
        Assert.Equal("c:3", Assert.Single(view.Rejected).Znode);
    }
}
