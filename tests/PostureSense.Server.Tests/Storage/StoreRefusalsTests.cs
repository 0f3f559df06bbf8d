using System.Net;
using PostureSense.Storage.DeadLetters;
using PostureSense.Storage.Influx;

namespace PostureSense.Server.Tests.Storage;

/// <summary>Only what can never succeed is dead-lettered; whatever may pass later is retried.</summary>
public sealed class StoreRefusalsTests
{
    [Theory]
    [InlineData(400, "unable to parse 'ack,device=d1 command_id=\"c\" 9300000000000': time outside range", DeadLetterReasons.OutOfRange)]
    [InlineData(400, "partial write: field type conflict dropped=1", DeadLetterReasons.Refused)]
    [InlineData(413, "request entity too large", DeadLetterReasons.Refused)]
    [InlineData(422, "points beyond retention policy", DeadLetterReasons.Refused)]
    public void An_influxdb_refusal_of_the_write_itself_is_for_good(int status, string error, string reason) =>
        Assert.Equal(reason, StoreRefusals.PermanentReason(new InfluxWriteException($"InfluxDB answered {status}: {error}", (HttpStatusCode)status)));

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(401)] // credentials: every write fails alike until an operator fixes them
    [InlineData(403)]
    [InlineData(404)] // no database
    public void A_failure_that_may_pass_later_is_retried(int status) =>
        Assert.Null(StoreRefusals.PermanentReason(new InfluxWriteException("InfluxDB answered", (HttpStatusCode)status)));

    [Fact]
    public void No_answer_at_all_is_retried()
    {
        Assert.Null(StoreRefusals.PermanentReason(new InfluxWriteException("connection refused", null, new HttpRequestException("refused"))));
        Assert.Null(StoreRefusals.PermanentReason(new IOException("disk I/O error")));
        Assert.Null(StoreRefusals.PermanentReason(new TimeoutException()));
    }
}
