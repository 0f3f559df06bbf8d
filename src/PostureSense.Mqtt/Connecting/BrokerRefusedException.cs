using MQTTnet;

namespace PostureSense.Mqtt.Connecting;

/// <summary>The broker answered the CONNECT with a refusal (CONNACK reason code).</summary>
public sealed class BrokerRefusedException(MqttClientConnectResultCode code, string? reason)
    : Exception($"connection refused: {code}{(string.IsNullOrEmpty(reason) ? "" : " " + reason)}")
{
    public MqttClientConnectResultCode Code { get; } = code;

    public bool IsCredentials => Code is MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized;
}
