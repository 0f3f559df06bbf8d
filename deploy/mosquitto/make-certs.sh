#!/bin/sh
# Makes a private CA and the broker's TLS certificate for the 8883 listener.
#   deploy/mosquitto/make-certs.sh broker.example.org [more host names or IP addresses...]
# Writes into $CERT_DIR (default: certs/ beside this script): ca.pem, ca.key (keep it offline),
# server.pem, server.key. Give devices ca.pem (--mqtt-ca); they connect to one of the names given.
# Optional client certificates: CLIENT=desk-1 deploy/mosquitto/make-certs.sh --client
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${CERT_DIR:-$here/certs}
days=${DAYS:-825}
mkdir -p "$dir"
umask 077

if [ ! -f "$dir/ca.key" ]; then
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 3650 \
    -subj "/CN=PostureSense broker CA" -keyout "$dir/ca.key" -out "$dir/ca.pem" \
    -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  echo "made the CA: $dir/ca.pem"
fi

if [ "${1:-}" = "--client" ]; then
  name=${CLIENT:?set CLIENT to the device id}
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$name" \
    -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
  printf 'basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' > "$dir/$name.ext"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
    -days "$days" -sha256 -extfile "$dir/$name.ext" -out "$dir/$name.pem" 2>/dev/null
  rm -f "$dir/$name.csr" "$dir/$name.ext"
  echo "made the client certificate: $dir/$name.pem, $dir/$name.key"
  exit 0
fi

[ $# -gt 0 ] || { echo "usage: $0 HOST [HOST...]  (the names devices connect to)" >&2; exit 2; }
san=""
for name in "$@"; do
  # An address is an IP entry, anything else a DNS name: devices check the one they dialled.
  case "$name" in
    *[!0-9.]*) case "$name" in *:*) entry="IP:$name" ;; *) entry="DNS:$name" ;; esac ;;
    *) entry="IP:$name" ;;
  esac
  san="${san:+$san,}$entry"
done

openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$1" \
  -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
printf 'basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$san" > "$dir/server.ext"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
  -days "$days" -sha256 -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
rm -f "$dir/server.csr" "$dir/server.ext"
# mosquitto drops privileges before reading the key: readable by its group, not by everyone.
chmod 644 "$dir/ca.pem" "$dir/server.pem"
chmod 640 "$dir/server.key"
echo "made the broker certificate for $san: $dir/server.pem, $dir/server.key"
