#!/usr/bin/env bash
# The container lane: a Docker engine and a PostgreSQL image for the tests of
# `rlsgen verify --container`, on a machine that has neither and reaches no
# image registry, only Debian's package mirror.
#
#   eval "$(scripts/container-lane.sh up)"   prepares the lane and prints the
#       variables the tests need (DOCKER_HOST, TESTCONTAINERS_*,
#       RLSGEN_TEST_CONTAINER_IMAGE). Where the lane cannot be prepared it
#       prints RLSGEN_CONTAINER_LANE_SKIP with the reason, and the container
#       tests skip saying so. Progress goes to stderr.
#   scripts/container-lane.sh down [DIR]     removes what `up` started: the
#       containers left on its engine, its dockerd (by pid), its network
#       bridge, mounts, cgroups and temp folder (RLSGEN_CONTAINER_LANE_DIR,
#       or DIR).
#   scripts/container-lane.sh image          builds the image on the Docker
#       engine DOCKER_HOST names (an air-gapped CI's own engine).
#
# `up` uses the Docker engine that already answers (DOCKER_HOST, or the
# default socket) and otherwise, as root, installs Debian's docker.io and
# starts a private dockerd: its data, exec root, socket and pidfile in a temp
# folder, its own bridge, no iptables rules, published ports on 127.0.0.1
# only. The image is built once from `debootstrap --variant=minbase` and
# docker/postgres-debian/Dockerfile, then kept as a `docker save` archive in
# RLSGEN_LANE_CACHE (default ~/.cache/rlsgen/container-lane; empty: no
# cache) keyed by the image's sources, so later runs load it in seconds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGE_DIR="$ROOT/docker/postgres-debian"
SUITE="${RLSGEN_LANE_SUITE:-bookworm}"
PG_MAJOR="${RLSGEN_LANE_PG_MAJOR:-15}"
IMAGE="${RLSGEN_LANE_IMAGE:-local/postgres:$PG_MAJOR}"
BASE_IMAGE="local/debian:$SUITE"
# What ensure_base_image puts into the root file system: change it when that changes.
BASE_RECIPE=1
CACHE="${RLSGEN_LANE_CACHE-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/rlsgen/container-lane}"
# A marker that a folder is a lane's, so `down` never removes anything else.
MARKER=rlsgen-container-lane

log() { printf 'container lane: [%3d s] %s\n' "$SECONDS" "$*" >&2; }

# Where apt fetches the suite and its security updates from: the lane uses the
# same Debian mirror, nothing else.
apt_uri() {
  local want="$1" uri release
  # shellcheck disable=SC2016 # apt expands $(REPO_URI), not the shell
  while read -r uri release; do
    case "$want:$release" in
      main:*-security | main:*-updates | main:*-backports) ;;
      main:*) printf '%s\n' "${uri%/}"; return 0 ;;
      security:*-security) printf '%s\n' "${uri%/}"; return 0 ;;
    esac
  done < <(apt-get indextargets --no-release-info --format '$(REPO_URI) $(RELEASE)' 'Identifier: Packages' 2>/dev/null | sort -u)
  return 1
}

mirror() { apt_uri main || echo http://deb.debian.org/debian; }
security_mirror() { apt_uri security || echo http://deb.debian.org/debian-security; }

# The image is rebuilt whenever what goes into it changes.
image_key() {
  { cat "$IMAGE_DIR/Dockerfile" "$IMAGE_DIR/docker-entrypoint.sh"; echo "$SUITE $PG_MAJOR $BASE_RECIPE"; } | sha256sum | cut -c1-16
}

# Installs the Debian packages among "$@" whose command is missing.
# Pairs: command=package.
install_missing() {
  local pair missing=()
  for pair in "$@"; do
    command -v "${pair%%=*}" >/dev/null 2>&1 || missing+=("${pair#*=}")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || { echo "${missing[*]} not installed, and installing needs root"; return 1; }
  command -v apt-get >/dev/null 2>&1 || { echo "${missing[*]} not installed, and there is no apt-get"; return 1; }
  log "installing ${missing[*]} from Debian"
  # Packages never start their services here (policy-rc.d), as in a Docker build:
  # the lane runs its own dockerd, and a system one would outlive the run.
  local policy=/usr/sbin/policy-rc.d own_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && own_policy=1
  fi
  local status=0
  {
    apt-get -o DPkg::Lock::Timeout=600 update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
  } >&2 || status=$?
  [ -n "$own_policy" ] && rm -f "$policy"
  [ "$status" = 0 ] || { echo "apt-get install ${missing[*]} failed (exit $status)"; return 1; }
}

docker_cli() { "$DOCKER" "$@"; }

has_base_image() {
  [ "$(docker_cli image inspect --format '{{ index .Config.Labels "org.rlsgen.base-recipe" }}' "$BASE_IMAGE" 2>/dev/null)" = "$BASE_RECIPE" ]
}

# The cache archives: one per image key, holding the image and its base.
cache_prefix() { echo "$CACHE/postgres-$PG_MAJOR-$SUITE-"; }
cached_archive() { [ -n "$CACHE" ] && echo "$(cache_prefix)$(image_key).tar"; }
# shellcheck disable=SC2012 # the names are the lane's own, without odd characters
any_cached_archive() { [ -n "$CACHE" ] && ls -t "$(cache_prefix)"*.tar 2>/dev/null | head -n 1; }

# Loads the cache archive $1 when there is one.
load_cached() {
  [ -n "$1" ] && [ -s "$1" ] || return 1
  log "loading $1"
  docker_cli load --quiet --input "$1" >/dev/null && return 0
  log "$1 does not load"
  return 1
}

# Keeps the image and its base as this key's cache archive, replacing older keys'.
save_cached() {
  local archive
  archive="$(cached_archive)" || return 0
  mkdir -p "$CACHE" && rm -f "$(cache_prefix)"*.tar &&
    docker_cli save --output "$archive.part" "$IMAGE" "$BASE_IMAGE" && mv "$archive.part" "$archive" &&
    log "cached $IMAGE as $archive" && return 0
  rm -f "$archive.part"
  log "could not cache $IMAGE in $CACHE"
}

# The Debian base image: from any cache archive (an older key's holds it
# too), else from debootstrap. $1: a scratch folder.
ensure_base_image() {
  local scratch="$1" err mirror_uri
  has_base_image && return 0
  load_cached "$(any_cached_archive)" && has_base_image && return 0
  err="$(install_missing debootstrap=debootstrap)" || { echo "$err"; return 1; }
  mirror_uri="$(mirror)"
  log "debootstrap --variant=minbase $SUITE from $mirror_uri"
  mkdir -p "$scratch/rootfs" || return 1
  debootstrap --variant=minbase "$SUITE" "$scratch/rootfs" "$mirror_uri" >"$scratch/debootstrap.log" 2>&1 || {
    tail -n 5 "$scratch/debootstrap.log" >&2
    echo "debootstrap $SUITE failed (log above)"
    return 1
  }
  # As Debian's own container images do: services never start inside; no
  # apt caches, and packages installed later leave out documentation.
  printf '#!/bin/sh\nexit 101\n' >"$scratch/rootfs/usr/sbin/policy-rc.d"
  chmod 755 "$scratch/rootfs/usr/sbin/policy-rc.d"
  printf 'path-exclude /usr/share/doc/*\npath-include /usr/share/doc/*/copyright\npath-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\n' \
    >"$scratch/rootfs/etc/dpkg/dpkg.cfg.d/excludes"
  rm -rf "$scratch/rootfs/var/cache/apt/archives/"*.deb "$scratch/rootfs/var/lib/apt/lists/"*
  tar --numeric-owner -C "$scratch/rootfs" -c . | docker_cli import --change "LABEL org.rlsgen.base-recipe=$BASE_RECIPE" - "$BASE_IMAGE" >/dev/null ||
    { echo "docker import of the $SUITE root file system failed"; return 1; }
  rm -rf --one-file-system "$scratch/rootfs"
  log "base image $BASE_IMAGE imported"
}

# Builds $IMAGE on the engine docker_cli talks to, unless it is there with
# the current key or in the cache. $1: a scratch folder.
ensure_image() {
  local scratch="$1" key
  key="$(image_key)"
  if [ "$(docker_cli image inspect --format '{{ index .Config.Labels "org.rlsgen.lane-key" }}' "$IMAGE" 2>/dev/null)" = "$key" ]; then
    log "image $IMAGE is there"
    return 0
  fi
  load_cached "$(cached_archive)" && return 0
  ensure_base_image "$scratch" || return 1
  log "building $IMAGE (Debian's postgresql-$PG_MAJOR)"
  # --network host: the build reaches the mirror through the host's own
  # network; the lane's bridge gives containers no route out.
  DOCKER_BUILDKIT=0 docker_cli build --network host --label "org.rlsgen.lane-key=$key" \
    --build-arg "BASE=$BASE_IMAGE" --build-arg "SUITE=$SUITE" --build-arg "PG_MAJOR=$PG_MAJOR" \
    --build-arg "DEBIAN_MIRROR=$(mirror)" --build-arg "DEBIAN_SECURITY=$(security_mirror)" \
    --tag "$IMAGE" "$IMAGE_DIR" >"$scratch/build.log" 2>&1 || {
    tail -n 10 "$scratch/build.log" >&2
    echo "docker build of $IMAGE failed (log above)"
    return 1
  }
  log "image $IMAGE built"
  save_cached
}

# A /24 for the lane's bridge that no route of this machine uses.
free_subnet() {
  local n
  for n in $(shuf -i 0-255 -n 32); do
    ip -4 route show | grep -q "^172\.29\.$n\." || { echo "172.29.$n"; return 0; }
  done
  return 1
}

# Starts the private dockerd in $LANE; echoes a reason and fails when it cannot.
start_dockerd() {
  local err packages=(dockerd=docker.io)
  # Without a cached image debootstrap is needed too: one apt run for both.
  [ -n "$(any_cached_archive)" ] || packages+=(debootstrap=debootstrap)
  err="$(install_missing "${packages[@]}")" || { echo "$err"; return 1; }
  command -v ip >/dev/null 2>&1 || { echo "no ip command (iproute2) to make the lane's bridge"; return 1; }
  DOCKER="$(command -v docker)" || { echo "docker.io is installed but there is no docker command"; return 1; }
  local subnet bridge="rlsgen${LANE_ID}"
  subnet="$(free_subnet)" || { echo "no free subnet for the lane's bridge"; return 1; }
  if ! { ip link add name "$bridge" type bridge && echo "$bridge" >"$LANE/bridge" &&
    ip addr add "$subnet.1/24" dev "$bridge" && ip link set "$bridge" up; }; then
    echo "cannot create the network bridge $bridge (ip link add)"
    return 1
  fi
  echo '{}' >"$LANE/daemon.json"
  # The engine's images and containers live in memory: loading the image,
  # the throwaway servers' writes and the final removal take no disk time.
  # (Pages are used only as filled: the image is about 450 MB.)
  mkdir -p "$LANE/fs" "$LANE/exec"
  mount -t tmpfs -o "size=${RLSGEN_LANE_TMPFS_SIZE:-8g},mode=0710" rlsgen-lane "$LANE/fs" ||
    log "no tmpfs for the engine's data; it goes to $LANE/fs on disk"
  mkdir -p "$LANE/fs/docker" "$LANE/fs/scratch"
  # Published ports on 127.0.0.1 only; no iptables rules and no forwarding:
  # containers reach nothing but this machine's loopback proxies. The
  # cgroup parent keeps its containers apart from any other Docker's.
  dockerd --config-file "$LANE/daemon.json" \
    --data-root "$LANE/fs/docker" --exec-root "$LANE/exec" --pidfile "$LANE/dockerd.pid" \
    --host "unix://$LANE/docker.sock" --bridge "$bridge" --ip 127.0.0.1 \
    --iptables=false --ip-forward=false --ip-masq=false \
    --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent "/rlsgen-lane-$LANE_ID" \
    --storage-driver overlay2 --log-level warn \
    </dev/null >"$LANE/dockerd.log" 2>&1 &
  echo $! >"$LANE/dockerd.launched"
  export DOCKER_HOST="unix://$LANE/docker.sock"
  local waited=0
  until docker_cli version >/dev/null 2>&1; do
    if ! kill -0 "$(cat "$LANE/dockerd.launched")" 2>/dev/null || [ "$waited" -ge 60 ]; then
      tail -n 5 "$LANE/dockerd.log" >&2
      echo "dockerd did not start (log above)"
      return 1
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  log "dockerd $(docker_cli version --format '{{ .Server.Version }}') running (pid $(cat "$LANE/dockerd.launched"), $DOCKER_HOST)"
}

# A Docker engine that answers already, without the lane starting one.
existing_engine() {
  DOCKER="$(command -v docker 2>/dev/null)" || return 1
  timeout 10 "$DOCKER" version >/dev/null 2>&1
}

print_env() {
  local name
  for name in "$@"; do
    printf 'export %s=%q\n' "$name" "${!name}"
  done
}

lane_up() {
  local started=$SECONDS
  LANE_ID="$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
  LANE="$(mktemp -d "${TMPDIR:-/tmp}/rlsgen-lane.XXXXXX")"
  echo "$MARKER" >"$LANE/marker"
  echo "$LANE_ID" >"$LANE/id"
  # `down` runs from this copy, so it works even when the checkout is gone by then.
  cp "${BASH_SOURCE[0]}" "$LANE/container-lane.sh"
  export RLSGEN_CONTAINER_LANE_DIR="$LANE"
  local reason
  # Anything that stops `up` halfway is taken down before it returns.
  trap 'lane_down >/dev/null 2>&1' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if existing_engine; then
    echo external >"$LANE/engine"
    log "using the Docker engine that answers (${DOCKER_HOST:-default socket})"
  else
    echo private >"$LANE/engine"
    [ "$(uname -s)" = Linux ] || { skip_lane "no Docker engine answers, and a private one needs Linux"; return 0; }
    [ "$(id -u)" = 0 ] || { skip_lane "no Docker engine answers, and starting one needs root (uid $(id -u))"; return 0; }
    reason="$(start_dockerd)" || { skip_lane "$reason"; return 0; }
    DOCKER="$(command -v docker)"
    export DOCKER_HOST="unix://$LANE/docker.sock"
    # Published ports are bound to 127.0.0.1: testcontainers must not try
    # `localhost`, which resolves to ::1 first.
    export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
  fi
  local scratch="$LANE/fs/scratch"
  [ -d "$scratch" ] || scratch="$LANE"
  reason="$(ensure_image "$scratch")" || { skip_lane "$reason"; return 0; }
  trap - EXIT INT TERM
  # The Ryuk reaper's image cannot be pulled here; rlsgen removes its own containers.
  export TESTCONTAINERS_RYUK_DISABLED=true
  export RLSGEN_TEST_CONTAINER_IMAGE="$IMAGE"
  log "ready in $((SECONDS - started)) s"
  print_env RLSGEN_CONTAINER_LANE_DIR DOCKER_HOST TESTCONTAINERS_RYUK_DISABLED RLSGEN_TEST_CONTAINER_IMAGE
  [ -n "${TESTCONTAINERS_HOST_OVERRIDE:-}" ] && print_env TESTCONTAINERS_HOST_OVERRIDE
  return 0
}

# Takes down what was prepared so far and tells the tests why they skip.
skip_lane() {
  # shellcheck disable=SC2034 # printed by name
  local RLSGEN_CONTAINER_LANE_SKIP="$1"
  log "not prepared: $1"
  lane_down >/dev/null 2>&1 || true
  trap - EXIT INT TERM
  unset RLSGEN_CONTAINER_LANE_DIR
  print_env RLSGEN_CONTAINER_LANE_SKIP
}

# Pids of processes whose command line names the lane's folder (dockerd,
# its containerd, the shims, docker-proxy).
lane_pids() {
  # Listed before grep starts, so grep (whose arguments name the folder) is not among them.
  local cmdlines=(/proc/[0-9]*/cmdline) pid
  while read -r pid; do
    # Not this script and its subshells, which may run from the lane's copy.
    grep -qaF container-lane.sh "/proc/$pid/cmdline" 2>/dev/null || echo "$pid"
  done < <(grep -laF -- "$LANE/" "${cmdlines[@]}" 2>/dev/null | cut -d/ -f3)
}

lane_mounts() {
  awk -v dir="$LANE/" 'index($5, dir) == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

# Stops the lane's dockerd by its pid (SIGTERM; SIGKILL after 30 s) and
# kills what a killed dockerd leaves: its containerd and shims. Echoes the pid.
stop_dockerd() {
  local pid="" waited=0 left=()
  [ -s "$LANE/dockerd.launched" ] && pid="$(cat "$LANE/dockerd.launched")"
  [ -n "$pid" ] && grep -qaF -- "$LANE/" "/proc/$pid/cmdline" 2>/dev/null || pid=""
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 60 ]; do sleep 0.5; waited=$((waited + 1)); done
    kill -0 "$pid" 2>/dev/null && { log "dockerd $pid did not stop on SIGTERM; killing it"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  mapfile -t left < <(lane_pids)
  if [ "${#left[@]}" -gt 0 ]; then
    log "killing processes the engine left: ${left[*]}"
    kill -KILL "${left[@]}" 2>/dev/null || true
  fi
  echo "$pid"
}

# The lane's cgroups in every hierarchy (its containers' parent).
lane_cgroups() {
  local id
  id="$(cat "$LANE/id" 2>/dev/null)" || return 0
  ls -d /sys/fs/cgroup/*/"rlsgen-lane-$id" /sys/fs/cgroup/"rlsgen-lane-$id" 2>/dev/null || true
}

# Kills what still runs in the lane's cgroups (the servers of containers
# whose shim died with the engine), then removes the cgroups.
remove_cgroups() {
  local cg procs tries=0
  for cg in $(lane_cgroups); do
    mapfile -t procs < <(find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null)
    if [ "${#procs[@]}" -gt 0 ]; then
      log "killing processes left in $cg: ${procs[*]}"
      kill -KILL "${procs[@]}" 2>/dev/null || true
    fi
  done
  while [ -n "$(lane_cgroups)" ] && [ "$tries" -lt 20 ]; do
    for cg in $(lane_cgroups); do find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || true; done
    [ -n "$(lane_cgroups)" ] && sleep 0.25
    tries=$((tries + 1))
  done
}

# Removes the containers the tests left on the lane's engine; echoes how many.
remove_containers() {
  local left=()
  if [ ! -S "$LANE/docker.sock" ] || [ -z "$DOCKER" ]; then echo 0; return 0; fi
  mapfile -t left < <(timeout 20 "$DOCKER" ps -aq 2>/dev/null || true)
  if [ "${#left[@]}" -gt 0 ]; then
    log "removing ${#left[@]} container(s) left on the lane's engine: ${left[*]}"
    timeout 60 "$DOCKER" rm -f -v "${left[@]}" >/dev/null 2>&1 || true
  fi
  echo "${#left[@]}"
}

lane_down() {
  LANE="${1:-${RLSGEN_CONTAINER_LANE_DIR:-}}"
  LANE="${LANE%/}"
  [ -n "$LANE" ] && [ "$(cat "$LANE/marker" 2>/dev/null)" = "$MARKER" ] || return 0
  DOCKER="$(command -v docker 2>/dev/null || true)"
  if [ "$(cat "$LANE/engine" 2>/dev/null)" != private ]; then
    rm -rf --one-file-system "$LANE"
    log "down (the engine is not the lane's and keeps running)"
    return 0
  fi
  export DOCKER_HOST="unix://$LANE/docker.sock"
  local left pid mount bridge
  left="$(remove_containers)"
  pid="$(stop_dockerd)"
  remove_cgroups
  while read -r mount; do
    if [ -n "$mount" ]; then umount -l "$mount" 2>/dev/null || true; fi
  done < <(lane_mounts)
  bridge="$(cat "$LANE/bridge" 2>/dev/null || true)"
  if [ -n "$bridge" ]; then ip link delete "$bridge" 2>/dev/null || true; fi
  local cgroups
  cgroups="$(lane_cgroups)"
  rm -rf --one-file-system "$LANE"
  log "down: $(if [ -n "$pid" ]; then echo "dockerd $pid stopped"; else echo 'dockerd was not running'; fi), $(if [ "$left" = 0 ]; then echo 'no container was left'; else echo "$left container(s) left by the tests were removed"; fi)"
  # (Not inside the command substitution: a deleted bridge makes `ip link show` fail, and
  # under set -e that failure would end the script before anything is reported.)
  local still bridge_left=""
  if [ -n "$bridge" ] && ip link show "$bridge" >/dev/null 2>&1; then bridge_left="$bridge"; fi
  still="$(lane_pids) $(lane_mounts) $cgroups $bridge_left"
  # Either is a defect CI must see: a test that leaves a container, or a lane that does not go.
  local clean=0
  if [ "$left" != 0 ]; then log "error: the tests left $left container(s) on the lane's engine (removed now)"; clean=1; fi
  if [ -n "${still// /}" ] || [ -e "$LANE" ]; then log "error: something of the lane is still there: $still $LANE"; clean=1; fi
  return "$clean"
}

case "${1:-}" in
  up) lane_up ;;
  down) lane_down "${2:-}" ;;
  image)
    DOCKER="$(command -v docker)" || { echo 'container lane: no docker command' >&2; exit 2; }
    scratch="$(mktemp -d "${TMPDIR:-/tmp}/rlsgen-image.XXXXXX")"
    trap 'rm -rf --one-file-system "$scratch"' EXIT
    reason="$(ensure_image "$scratch")" || { log "$reason"; exit 1; }
    ;;
  *)
    echo "usage: $0 up|down|image" >&2
    exit 2
    ;;
esac
