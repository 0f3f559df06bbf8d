using System.Security.Cryptography;
using System.Text;

namespace PostureSense.Server.Broker;

/// <summary>
/// The credential of the server's own MQTT client on the embedded broker: made afresh by each
/// process, which is both ends of the connection, so it is never written anywhere. Only a client
/// holding it may use an id starting with <see cref="Configuration.ServerClient.IdPrefix"/>.
/// </summary>
public sealed class ServerCredential
{
    readonly byte[] _password;

    public ServerCredential()
    {
        Password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _password = Encoding.UTF8.GetBytes(Password);
    }

    public string UserName => Configuration.ServerClient.IdPrefix;

    public string Password { get; }

    public bool Matches(string? userName, string? password) =>
        userName == UserName && CryptographicOperations.FixedTimeEquals(_password, Encoding.UTF8.GetBytes(password ?? ""));
}
