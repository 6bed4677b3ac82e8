#!/usr/bin/env bash
# Installs every Debian package needed to build, run, test and benchmark the gateway; with --tests,
# also the Python tools the tests use (below; Airflow's Livy provider among them takes minutes the
# first time, which running the gateway should not wait for).
# Idempotent: packages already present are not touched, and nothing is printed for them.
set -euo pipefail

with_test_tools=false
[ "${1:-}" = "--tests" ] && with_test_tools=true

packages=(
  pkg-config
  libcurl4-openssl-dev   # KubeClient transport
  zlib1g-dev             # gzipped configuration files (BPG's Helm chart)
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
  tmux                   # the bpg client's terminal tests (a pseudo-terminal of a known size)
)

# kubectl, pointed at the simulator in tests. Some images ship their own kubectl package, which
# Debian's kubernetes-client would collide with, so only install it when no kubectl exists.
if ! command -v kubectl >/dev/null 2>&1; then
  packages+=(kubernetes-client)
fi

# The web UI's browser tests (Tests/GatewayServerTests/WebUIBrowserTests.swift): headless Chromium
# driven through WebDriver by Python's selenium (installed into the venv below).
if [ "$with_test_tools" = true ]; then
  packages+=(chromium chromium-driver)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

install_debian_packages() {
  [ ${#missing[@]} -eq 0 ] && return 0
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
}

# The Python tools the tests use, in a venv under the git-ignored .build-python/: the real Livy
# clients the Livy API is tested with (LivyClientTests), kubernetes-validate for the deployment
# manifests (DeploymentManifestTests), the official kubernetes client against the simulator
# (PythonClientTests) and moto's S3-compatible server (S3ClientTests, ArtifactUploadTests). Best effort: without python3 or PyPI the Swift tests that need them skip and
# say why. Airflow's provider is large; BPG_SETUP_AIRFLOW=0 skips it.
install_python_clients() {
  local root venv
  root="$(cd "$(dirname "$0")/.." && pwd)"
  venv="$root/.build-python/venv"
  if ! command -v python3 >/dev/null 2>&1; then
    echo "setup: no python3; the Livy client tests will skip" >&2
    return 0
  fi
  mkdir -p "$root/.build-python"
  # Two test runs in one checkout must not install into the venv at once.
  exec 9>"$root/.build-python/.setup.lock"
  flock 9
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" >/dev/null 2>&1 || { echo "setup: python3 -m venv failed; the Livy client tests will skip" >&2; rm -rf "$venv"; return 0; }
  fi
  if ! "$venv/bin/python" -c 'import importlib.metadata as m, sys; sys.exit(m.version("livy") != "0.8.0")' >/dev/null 2>&1; then
    echo "setup: installing the livy Python client into $venv" >&2
    "$venv/bin/pip" install -q 'livy==0.8.0' >/dev/null 2>&1 || echo "setup: pip install livy failed; the Livy client tests will skip" >&2
  fi
  if [ ! -x "$venv/bin/kubernetes-validate" ]; then
    echo "setup: installing kubernetes-validate into $venv" >&2
    "$venv/bin/pip" install -q 'kubernetes-validate==1.37.0' >/dev/null 2>&1 || echo "setup: pip install kubernetes-validate failed; the manifest schema test will fail" >&2
  fi
  if ! "$venv/bin/python" -c 'import kubernetes' >/dev/null 2>&1; then
    echo "setup: installing the kubernetes Python client into $venv" >&2
    "$venv/bin/pip" install -q 'kubernetes==37.0.2' >/dev/null 2>&1 || echo "setup: pip install kubernetes failed; the Python client test of the simulator will skip" >&2
  fi
  if [ ! -x "$venv/bin/moto_server" ]; then
    echo "setup: installing moto[server] into $venv" >&2
    "$venv/bin/pip" install -q 'moto[server]' >/dev/null 2>&1 || echo "setup: pip install moto[server] failed; the S3 tests will skip" >&2
  fi
  if ! "$venv/bin/python" -c 'import selenium' >/dev/null 2>&1; then
    echo "setup: installing selenium into $venv" >&2
    "$venv/bin/pip" install -q 'selenium==4.27.1' >/dev/null 2>&1 || echo "setup: pip install selenium failed; the web UI browser tests will skip" >&2
  fi
  if [ "${BPG_SETUP_AIRFLOW:-1}" != "0" ] && ! "$venv/bin/python" -c 'import airflow.providers.apache.livy.hooks.livy' >/dev/null 2>&1; then
    echo "setup: installing apache-airflow-providers-apache-livy into $venv (large, once)" >&2
    "$venv/bin/pip" install -q 'apache-airflow-providers-apache-livy' >/dev/null 2>&1 \
      || echo "setup: pip install apache-airflow-providers-apache-livy failed; the Airflow hook test will skip" >&2
  fi
  flock -u 9
}

install_debian_packages
if [ "$with_test_tools" = true ]; then install_python_clients; fi
