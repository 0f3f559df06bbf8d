#!/bin/sh
# Makes the cluster's private CA and a certificate per server node, for mutual TLS between the
# nodes' silos (--cluster-cert, --cluster-key, --cluster-ca).
#   deploy/cluster/make-certs.sh server-1 server-2 server-3
# Writes into $CERT_DIR (default: certs/ beside this script): ca.pem, ca.key (keep it offline),
# and NODE.pem, NODE.key for each node named. Give every node ca.pem and its own pair, never ca.key.
# A node accepts another only if this CA signed its certificate; names are not checked (nodes dial
# each other by address), so the CA is the cluster's membership: keep it apart from the broker's.
# Run it again with a new name to add a node, or with an old one to renew its certificate.
# KEY_OWNER=UID (as root) hands the node keys to the user the server runs as: 1654 in the
# docker image (docker-compose.yml mounts them), posturesense under systemd.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${CERT_DIR:-$here/certs}
days=${DAYS:-825}
[ $# -gt 0 ] || { echo "usage: $0 NODE [NODE...]  (a name per server node, such as server-1)" >&2; exit 2; }
mkdir -p "$dir"
umask 077

if [ ! -f "$dir/ca.key" ]; then
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 3650 \
    -subj "/CN=PostureSense cluster CA" -keyout "$dir/ca.key" -out "$dir/ca.pem" \
    -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  chmod 644 "$dir/ca.pem"
  echo "made the cluster CA: $dir/ca.pem"
fi

for name in "$@"; do
  case "$name" in
    *[!A-Za-z0-9._-]*|'') echo "$0: '$name' is not a node name (letters, digits, '.', '_', '-')" >&2; exit 2 ;;
  esac
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$name" \
    -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
  # A node both answers the others' connections and dials theirs: serverAuth and clientAuth.
  printf 'basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n' > "$dir/$name.ext"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
    -days "$days" -sha256 -extfile "$dir/$name.ext" -out "$dir/$name.pem" 2>/dev/null
  rm -f "$dir/$name.csr" "$dir/$name.ext"
  chmod 644 "$dir/$name.pem"
  chmod 600 "$dir/$name.key"
  if [ -n "${KEY_OWNER:-}" ]; then chown "$KEY_OWNER" "$dir/$name.key"; fi
  echo "made the certificate of node $name: $dir/$name.pem, $dir/$name.key"
done
