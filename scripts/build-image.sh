#!/usr/bin/env bash
# Builds the gateway's runtime image from the Dockerfile and smoke-tests it, on a machine with no
# container registry and no container engine (Debian 12, run as root):
#
#   1. `bpg` is built on this host (Debian 12, like the runtime image) with the Swift runtime linked
#      statically, and placed where the Dockerfile's `prebuilt` stage reads it (.image/bpg);
#   2. the runtime base image is a Debian 12 minbase root file system made with debootstrap from this
#      machine's configured Debian mirror and imported into buildah's store (once; reused after);
#   3. `buildah bud --isolation chroot` builds the Dockerfile's runtime stage on that base;
#   4. inside the image: `bpg --version`, then `bpg serve --dev`, and its health checks are reached.
#
# With a registry, build the Dockerfile as is instead (`docker build .`): the `build` stage compiles
# in the official Swift image. Options: --tag NAME (default localhost/bpg:dev), --no-smoke.
set -euo pipefail
cd "$(dirname "$0")/.."

tag=localhost/bpg:dev
base=localhost/bpg-debian-base:bookworm
smoke=true
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag="$2"; shift 2 ;;
    --no-smoke) smoke=false; shift ;;
    *) echo "usage: $0 [--tag NAME] [--no-smoke]" >&2; exit 2 ;;
  esac
done

# vfs works on any file system (overlay on overlay does not); chroot isolation needs no user namespaces.
export STORAGE_DRIVER=vfs
export BUILDAH_ISOLATION=chroot

./scripts/setup.sh
missing=()
command -v buildah >/dev/null || missing+=(buildah)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi

echo "== building bpg (release, static Swift runtime)"
swift build -c release --product bpg --static-swift-stdlib
mkdir -p .image
cp "$(swift build -c release --show-bin-path)/bpg" .image/bpg
strip .image/bpg

if ! buildah inspect --type image "$base" >/dev/null 2>&1; then
  # The first URI of the machine's Debian sources (deb822 or one-line form).
  mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
  if [ -z "$mirror" ]; then
    mirror=$(awk '$1 == "deb" { print ($2 ~ /^\[/ ? $3 : $2); exit }' /etc/apt/sources.list 2>/dev/null || true)
  fi
  mirror=${mirror:-http://deb.debian.org/debian}
  echo "== making the runtime base (debootstrap bookworm minbase from $mirror)"
  rootfs=$(mktemp -d /tmp/bpg-rootfs.XXXXXX)
  trap 'rm -rf "$rootfs" "$rootfs.tar"' EXIT
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/dev/null
  # What Debian's slim images do: no documentation, manuals or translations, now or when the image
  # installs packages later.
  cat > "$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
DPKG
  find "$rootfs/usr/share/doc" -mindepth 2 ! -name copyright -delete 2>/dev/null || true
  rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* "$rootfs"/usr/share/lintian/*
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/log/*
  tar -C "$rootfs" -cf "$rootfs.tar" .
  container=$(buildah from scratch)
  buildah add "$container" "$rootfs.tar" / >/dev/null
  buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd /bin/bash "$container"
  buildah commit --rm "$container" "$base" >/dev/null
fi

echo "== building the image $tag"
buildah bud --isolation chroot --layers=false --format docker \
  --build-arg RUNTIME_IMAGE="$base" --build-arg BINARY_SOURCE=prebuilt \
  --target runtime -t "$tag" .

size=$(buildah images --format '{{.Size}}' "$tag" | head -1)
echo "== image $tag: $size (binary $(du -h .image/bpg | cut -f1))"

if [ "$smoke" = true ]; then
  echo "== smoke test"
  container=$(buildah from "$tag")
  server_pid=""
  cleanup_smoke() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    buildah rm "$container" >/dev/null 2>&1 || true
  }
  trap cleanup_smoke EXIT
  buildah run --isolation chroot "$container" -- /usr/local/bin/bpg --version
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  admin_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # chroot isolation shares this host's network, so the dev gateway is reachable on loopback.
  buildah run --isolation chroot "$container" -- /usr/local/bin/bpg serve --dev --host 127.0.0.1 --port "$port" --admin-port "$admin_port" \
    >/tmp/bpg-image-smoke.log 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    if curl -fsS -o /dev/null -u smoke:smoke "http://127.0.0.1:$port/skatev2/healthcheck/status" 2>/dev/null; then break; fi
    sleep 0.2
  done
  curl -fsS -u smoke:smoke "http://127.0.0.1:$port/skatev2/healthcheck/status"; echo
  curl -fsS "http://127.0.0.1:$admin_port/healthcheck"; echo      # what the image's HEALTHCHECK and the probes call
  echo "== smoke test passed: bpg --version and bpg serve --dev answered inside $tag"
fi
