using PostureSense.Core.Configuration;
using PostureSense.Server.Configuration;
using PostureSense.Storage;
using PostureSense.Storage.Influx;

namespace PostureSense.Server.Tests.Storage.Influx;

public sealed class InfluxStoreLocationTests
{
    [Fact]
    public void A_1x_url_gives_database_user_and_password_over_http()
    {
        var location = StoreLocation.Parse("influxdb://ann:p%40ss@influx.local:8087/posture");

        Assert.Equal(StoreKind.InfluxDb, location.Kind);
        Assert.Equal(new InfluxEndpoint(InfluxApi.V1, new Uri("http://influx.local:8087/"), "posture", UserName: "ann", Password: "p@ss"),
            location.Influx);
    }

    [Fact]
    public void A_1x_url_without_port_or_user_uses_8086_and_no_auth()
    {
        var endpoint = StoreLocation.Parse("influxdb://10.0.0.5/posture").Influx!;

        Assert.Equal(new Uri("http://10.0.0.5:8086/"), endpoint.BaseUrl);
        Assert.Null(endpoint.UserName);
        Assert.Null(endpoint.Password);
    }

    [Fact]
    public void A_2x_url_gives_org_bucket_and_token_and_the_s_schemes_use_https()
    {
        var v2 = StoreLocation.Parse("influxdb2s://[::1]:8443/?org=acme&bucket=posture&token=dG9r%2BZW4==").Influx!;
        var v1 = StoreLocation.Parse("influxdbs://db.example:443/posture").Influx!;

        Assert.Equal(new InfluxEndpoint(InfluxApi.V2, new Uri("https://[::1]:8443/"), "posture", Org: "acme", Token: "dG9r+ZW4=="), v2);
        Assert.Equal(new Uri("https://db.example:443/"), v1.BaseUrl);
    }

    [Fact]
    public void Printing_a_location_never_shows_the_password_or_token()
    {
        var v1 = StoreLocation.Parse("influxdb://ann:hunter2@h:8086/posture");
        var v2 = StoreLocation.Parse("influxdb2://h:8086/?org=o&bucket=b&token=sekrit");

        Assert.Equal("influxdb://ann@h:8086/posture", v1.ToString());
        Assert.Equal("influxdb2://h:8086/?org=o&bucket=b&token=***", v2.ToString());
        Assert.DoesNotContain("hunter2", v1.Influx!.ToString());
        Assert.DoesNotContain("sekrit", v2.Influx!.ToString() + v2.Target);
    }

    [Fact]
    public void Sqlite_paths_still_parse()
    {
        Assert.Equal(new StoreLocation(StoreKind.Sqlite, "/var/lib/ps/data.db"), StoreLocation.Parse("sqlite:/var/lib/ps/data.db"));
    }

    [Theory]
    [InlineData("influxdb://h:8086", "has no database")]
    [InlineData("influxdb://h:8086/", "has no database")]
    [InlineData("influxdb://h:8086/a/b", "more than the database")]
    [InlineData("influxdb://h:99999/posture", "bad port '99999'")]
    [InlineData("influxdb://h:http/posture", "bad port 'http'")]
    [InlineData("influxdb://:8086/posture", "has no host")]
    [InlineData("influxdb://h/posture?rp=week", "unknown query key 'rp'")]
    [InlineData("influxdb2://h:8086/?org=o&bucket=b", "is missing token")]
    [InlineData("influxdb2://h:8086/?token=t", "is missing org, bucket")]
    [InlineData("influxdb2://h:8086/?org=o&bucket=b&token=t&precision=s", "unknown query key 'precision'")]
    [InlineData("influxdb2://h:8086/posture?org=o&bucket=b&token=t", "has a path '/posture'")]
    [InlineData("influxdb2://u:p@h:8086/?org=o&bucket=b&token=t", "has a user name")]
    [InlineData("influxdb2://h:8086/?org=o&org=p&bucket=b&token=t", "gives org twice")]
    [InlineData("influxdb:/posture", "is not an influxdb://")]
    [InlineData("mysql://h/db", "unknown scheme 'mysql'")]
    public void Each_malformed_value_gives_one_line_naming_the_source(string value, string expected)
    {
        var error = Assert.Throws<OptionsException>(() => StoreLocation.Parse(value, "POSTURESENSE_STORE"));

        Assert.Contains(expected, error.Message);
        Assert.StartsWith("POSTURESENSE_STORE '", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("influxdb://ann:hunter2@h:99999/posture", "hunter2")]
    [InlineData("influxdb2://h:8086/?org=o&token=sekrit", "sekrit")]
    [InlineData("influxdb2://h:8086/?token=sekrit&org=o&bucket=b&x=1", "sekrit")]
    public void Errors_never_echo_the_password_or_token(string value, string secret)
    {
        var error = Assert.Throws<OptionsException>(() => StoreLocation.Parse(value));

        Assert.DoesNotContain(secret, error.Message);
        Assert.Contains("***", error.Message);
    }
}
