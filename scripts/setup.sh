#!/usr/bin/env bash
# Installs every Debian package needed to build, run, test and benchmark the gateway.
# Idempotent: packages already present are not touched, and nothing is printed for them.
set -euo pipefail

packages=(
  pkg-config
  libcurl4-openssl-dev   # KubeClient transport
  libmariadb-dev         # Persistence (MySQL protocol)
  libsqlite3-dev         # Persistence (embedded store)
  libyaml-dev            # YAML module
  libmicrohttpd-dev      # HTTP serving module
  libssl-dev             # libcrypto: HMAC for queue tokens
  libcrypt-dev           # crypt_r: htpasswd password hashes
  mariadb-server         # the throwaway database the tests start
  mariadb-client
  openssl                # test certificates
  curl
  wrk                    # benchmarks
  nginx-light            # benchmark reference
  hyperfine
)

# kubectl, pointed at the simulator in tests. Some images ship their own kubectl package, which
# Debian's kubernetes-client would collide with, so only install it when no kubectl exists.
if ! command -v kubectl >/dev/null 2>&1; then
  packages+=(kubernetes-client)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# Python tools (moto) in .build-python/venv; before the early exit below so it always runs.
"$(dirname "$0")/setup-python.sh"

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: need root to install: ${missing[*]}" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# A previous install interrupted half-way leaves packages unconfigured; finish it first.
dpkg --configure -a >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts services on install; the gateway's scripts run their own instances.
for service in mariadb nginx; do
  if command -v systemctl >/dev/null 2>&1; then systemctl stop "$service" >/dev/null 2>&1 || true; fi
  if command -v service >/dev/null 2>&1; then service "$service" stop >/dev/null 2>&1 || true; fi
done
