#!/usr/bin/env python3
"""The MQTT side of bench/run-strand.sh, with nothing but the standard library (MQTT 3.1.1).

  strand.py devices PORT DEVICES SECONDS OUT   a fleet publishing a 5-frame batch every 5 s per device
                                               (QoS 1, each waited for its PUBACK); writes how many
                                               frames the broker took to OUT
  strand.py stored PORT                        prints $SYS/broker/store/messages/count: the messages
                                               the broker holds (with no persistence, all in memory)
"""
import json, socket, struct, sys, time


def _string(text):
    data = text.encode()
    return struct.pack("!H", len(data)) + data


def _packet(kind, body):
    length, encoded = len(body), b""
    while True:
        byte, length = length % 128, length // 128
        encoded += bytes([byte | (0x80 if length else 0)])
        if not length:
            return bytes([kind]) + encoded + body


def _read(sock):
    def exact(n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("broker closed the connection")
            data += chunk
        return data
    kind = exact(1)[0]
    length, shift = 0, 0
    while True:
        byte = exact(1)[0]
        length += (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return kind, exact(length)


def connect(port, client_id):
    sock = socket.create_connection(("127.0.0.1", port))
    # Clean session, keep-alive 60 s: a device publishes every 5 s, which keeps the link alive.
    sock.sendall(_packet(0x10, _string("MQTT") + bytes([4, 0x02]) + struct.pack("!H", 60) + _string(client_id)))
    kind, body = _read(sock)
    if kind != 0x20 or body[1] != 0:
        raise ConnectionError(f"{client_id}: refused ({body!r})")
    return sock


def devices(port, count, seconds, out):
    ids = [f"strand-{i:03d}" for i in range(1, count + 1)]
    socks = {d: connect(port, d) for d in ids}
    seq = {d: 0 for d in ids}
    frames, packet_id = 0, 0
    start = time.time()
    while time.time() - start < seconds:
        tick = time.time()
        for d in ids:
            seq[d] += 1
            packet_id = packet_id % 65535 + 1
            # Five 1 s frames ending now, as the agent sends them; (device, ts) is each frame's identity.
            now_ms = int(tick) * 1000
            batch = {"v": 1, "seq": seq[d], "frames": [
                {"ts": now_ms - (4 - k) * 1000, "pitch": 5.0, "roll": 0.0, "motion": 0.01, "steps": 0} for k in range(5)]}
            body = _string(f"posturesense/v1/{d}/telemetry") + struct.pack("!H", packet_id) + json.dumps(batch).encode()
            socks[d].sendall(_packet(0x32, body))
            kind, ack = _read(socks[d])
            if kind != 0x40 or struct.unpack("!H", ack[:2])[0] != packet_id:
                raise ConnectionError(f"{d}: expected PUBACK {packet_id}, got {kind:#x}")
            frames += 5
        with open(out, "w") as f:
            f.write(f"{frames}\n")
        time.sleep(max(0.0, 5 - (time.time() - tick)))
    for sock in socks.values():
        sock.sendall(b"\xe0\x00")  # DISCONNECT
        sock.close()


def stored(port):
    sock = connect(port, f"strand-sys-{int(time.time() * 1000)}")
    sock.settimeout(30)  # $SYS comes every second (sys_interval 1); never wait forever
    topic = "$SYS/broker/store/messages/count"
    sock.sendall(_packet(0x82, struct.pack("!H", 1) + _string(topic) + b"\x00"))
    while True:
        kind, body = _read(sock)
        if kind & 0xF0 == 0x30:
            length = struct.unpack("!H", body[:2])[0]
            if body[2:2 + length].decode() == topic:
                print(body[2 + length:].decode())
                sock.sendall(b"\xe0\x00")
                return


if __name__ == "__main__":
    if sys.argv[1] == "devices":
        devices(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
    else:
        stored(int(sys.argv[2]))
