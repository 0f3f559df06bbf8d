using System.Diagnostics;

namespace PostureSense.Integration.Tests.Deploy;

/// <summary>
/// docker-compose.yml as shipped, checked by docker-compose itself (<c>docker-compose config</c>, no
/// engine needed): it refuses to start without every password, passes none on a command line, and
/// publishes only the dashboard and the broker's TLS port.
/// </summary>
public sealed class ComposeConfigTests : IDisposable
{
    static readonly string[] Passwords = ["SERVER_MQTT_PASSWORD", "DEVICE_PASSWORD", "INFLUXDB_ADMIN_PASSWORD", "INFLUXDB_WRITER_PASSWORD"];
    readonly string _dir = Directory.CreateTempSubdirectory("posturesense-compose-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    [Fact]
    public async Task With_every_password_the_file_is_valid_and_no_password_is_on_a_command_line()
    {
        var (code, stdout, stderr) = await ConfigAsync(Passwords.ToDictionary(p => p, p => "pw-" + p.ToLowerInvariant()));
        var config = stdout.Replace("\"", "").Replace("'", "");

        Assert.True(code == 0, stderr);
        foreach (var password in Passwords.Select(p => "pw-" + p.ToLowerInvariant()))
            Assert.DoesNotContain(password, CommandLines(config));
        Assert.Contains("POSTURESENSE_MQTT_PASSWORD: pw-server_mqtt_password", config);
        Assert.Contains("POSTURESENSE_STORE_PASSWORD: pw-influxdb_writer_password", config);
        Assert.Contains("INFLUXDB_WRITE_USER_PASSWORD: pw-influxdb_writer_password", config);
        Assert.Contains("INFLUXDB_HTTP_AUTH_ENABLED: true", config);
        // Published: the dashboard and TLS MQTT, and the dashboards of the cluster profile's nodes;
        // neither plain MQTT, InfluxDB, Redis nor the nodes' silo port. (docker-compose config lists
        // the services of every profile.)
        var published = config.Split('\n').Select(l => l.Trim().TrimStart('-', ' ')).Where(l => l.StartsWith("published:", StringComparison.Ordinal))
            .Select(l => l["published:".Length..].Trim()).Order().ToArray();
        Assert.Equal(["8080", "8081", "8082", "8083", "8883"], published);
    }

    [Fact]
    public async Task The_cluster_nodes_share_one_group_and_cluster_each_under_its_own_stable_client_id()
    {
        var (code, stdout, stderr) = await ConfigAsync(Passwords.ToDictionary(p => p, p => "pw"));
        var config = stdout.Replace("\"", "").Replace("'", "");

        Assert.True(code == 0, stderr);
        // A node's queued share of the messages waits for its client id: each keeps its own across restarts.
        foreach (var n in new[] { 1, 2, 3 })
            Assert.Contains($"POSTURESENSE_MQTT_CLIENT_ID: posturesense-server-{n}", config);
        Assert.Equal(3, config.Split("POSTURESENSE_MQTT_SHARE: posturesense").Length - 1);
        Assert.Equal(3, config.Split("POSTURESENSE_CLUSTER: redis://redis:6379").Length - 1);
        Assert.Equal(3, config.Split("restart: always").Length - 1);
        // One app database, so a sign-in, a claim or a setting made on one node counts on all.
        Assert.Equal(3, config.Split("cluster-data:/data").Length - 1);
        // Snoozed prompts' reminders live in Redis: its data outlives a restart.
        Assert.Contains("redis-data:/data", config);
    }

    [Fact]
    public async Task The_cluster_nodes_silos_talk_over_mutual_tls_each_with_its_own_certificate_and_none_with_the_cas_key()
    {
        var (code, stdout, stderr) = await ConfigAsync(Passwords.ToDictionary(p => p, p => "pw"), "--profile", "cluster");
        var config = stdout.Replace("\"", "").Replace("'", "");

        Assert.True(code == 0, stderr);
        Assert.Equal(3, config.Split("POSTURESENSE_CLUSTER_CERT: /run/cluster/node.pem").Length - 1);
        Assert.Equal(3, config.Split("POSTURESENSE_CLUSTER_KEY: /run/cluster/node.key").Length - 1);
        Assert.Equal(3, config.Split("POSTURESENSE_CLUSTER_CA: /run/cluster/ca.pem").Length - 1);
        // Each node its own pair, read-only, as deploy/cluster/make-certs.sh names them.
        foreach (var n in new[] { 1, 2, 3 })
        {
            Assert.Contains($"deploy/cluster/certs/server-{n}.pem:/run/cluster/node.pem:ro", config);
            Assert.Contains($"deploy/cluster/certs/server-{n}.key:/run/cluster/node.key:ro", config);
        }
        Assert.Equal(3, config.Split("deploy/cluster/certs/ca.pem:/run/cluster/ca.pem:ro").Length - 1);
        // A node holding the CA's key could make certificates for anyone.
        Assert.DoesNotContain("ca.key", config);
        // And the silo port stays on the nodes' own network, with no route out.
        Assert.Contains("internal: true", config);
    }

    [Theory]
    [InlineData("SERVER_MQTT_PASSWORD")]
    [InlineData("DEVICE_PASSWORD")]
    [InlineData("INFLUXDB_ADMIN_PASSWORD")]
    [InlineData("INFLUXDB_WRITER_PASSWORD")]
    public async Task Without_one_password_it_refuses_and_names_it(string missing)
    {
        var (code, _, stderr) = await ConfigAsync(Passwords.Where(p => p != missing).ToDictionary(p => p, p => "pw"));

        Assert.NotEqual(0, code);
        Assert.Contains($"set {missing} in .env", stderr);
    }

    /// <summary>The lines of each service's command and entrypoint, where ps and docker inspect would show a password.</summary>
    static string CommandLines(string config)
    {
        var lines = config.Split('\n');
        var kept = new List<string>();
        var inCommand = false;
        foreach (var line in lines)
        {
            var trimmed = line.TrimStart();
            var indent = line.Length - trimmed.Length;
            if (trimmed.StartsWith("command:", StringComparison.Ordinal) || trimmed.StartsWith("entrypoint:", StringComparison.Ordinal))
            {
                inCommand = true;
                kept.Add(line);
                continue;
            }
            if (inCommand && (trimmed.StartsWith("- ", StringComparison.Ordinal) || indent > 4)) kept.Add(line);
            else inCommand = false;
        }
        return string.Join('\n', kept);
    }

    /// <summary>
    /// docker-compose config on the shipped file with exactly these variables: from an env file, none
    /// from this process's environment, and no .env of the checkout.
    /// </summary>
    /// <param name="options">Given before <c>config</c>, such as a profile.</param>
    async Task<(int Code, string Stdout, string Stderr)> ConfigAsync(IReadOnlyDictionary<string, string> variables, params string[] options)
    {
        var compose = ServerProcess.Require("docker-compose", "apt-get install docker-compose");
        var envFile = Path.Combine(_dir, "test.env");
        await File.WriteAllLinesAsync(envFile, variables.Select(v => $"{v.Key}={v.Value}"), TestContext.Current.CancellationToken);
        var start = new ProcessStartInfo(compose)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root(),
        };
        foreach (var arg in (string[])["--project-directory", Repository.Root(), "-f", Path.Combine(Repository.Root(), "docker-compose.yml"), "--env-file", envFile, .. options, "config"])
            start.ArgumentList.Add(arg);
        foreach (var name in Passwords) start.Environment.Remove(name);
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, stderr);
    }
}
