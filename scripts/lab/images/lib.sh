# shellcheck shell=bash
# shellcheck disable=SC2034  # variables are used by the scripts that source this file
# Helpers for building the lab's container images without Docker or a registry.
# Sourced by scripts/lab/images/{build,operator,import}. Needs: bash, GNU tar,
# sha256sum, debootstrap (Debian rootfs images), go (static binaries).
#
# An image is a docker-archive tar (manifest.json + config + one uncompressed layer),
# which `ctr images import` understands. Images are cached in $IMG_CACHE as
# <name>-<inputhash>.tar; a rebuild happens only when the hash of the recipe's inputs
# changes.

IMAGES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NODE_CACHE="${NETDIAG_CACHE:-$HOME/.cache/netdiag}/lab/node"
IMG_CACHE="$NODE_CACHE/images"
DEBS_CACHE="$NODE_CACHE/debs"
DEBIAN_SUITE="${NETDIAG_DEBIAN_SUITE:-bookworm}"

export GOTOOLCHAIN=local GOWORK=off
command -v go >/dev/null || { [ -x /usr/local/go/bin/go ] && export PATH="/usr/local/go/bin:$PATH"; }

ilog() { printf '[lab images %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
idie() { ilog "ERROR: $*"; exit 1; }

# Hash of the given files/strings (files are read, other args hashed literally).
inputs_hash() {
  local a
  for a in "$@"; do
    if [ -f "$a" ]; then printf 'file %s\n' "${a##*/}"; sha256sum < "$a"
    else printf 'str %s\n' "$a"; fi
  done | sha256sum | cut -c1-16
}

# The Debian mirror, read from this machine's apt sources at run time.
debian_mirror() {
  local m=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    m=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
      /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
    m=$(awk '$1 == "deb" && $3 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' \
      /etc/apt/sources.list)
  fi
  [ -n "$m" ] || idie "no Debian mirror found in the apt sources"
  echo "$m"
}

need_pkg() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} = 0 ] && return 0
  ilog "installing ${missing[*]} (apt)"
  # a fresh machine may have no package lists yet: update once and retry
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2 ||
    { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2; }
}

# debian_rootfs DIR PACKAGES...  (minbase + packages, apt lists and caches removed)
debian_rootfs() {
  local dir="$1"; shift
  local inc
  need_pkg debootstrap
  inc=$(IFS=,; echo "$*")
  rm -rf "$dir"; mkdir -p "$dir" "$DEBS_CACHE"
  ilog "debootstrap $DEBIAN_SUITE (minbase${inc:+ + $inc}) into $dir"
  debootstrap --variant=minbase ${inc:+--include="$inc"} --cache-dir="$DEBS_CACHE" \
    "$DEBIAN_SUITE" "$dir" "$(debian_mirror)" > "$dir.debootstrap.log" 2>&1 ||
    { tail -20 "$dir.debootstrap.log" >&2; idie "debootstrap failed (log: $dir.debootstrap.log)"; }
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb \
    "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/var/log/*
  # No resolv.conf/hostname of the build machine in the image; the runtime mounts its own.
  : > "$dir/etc/resolv.conf"
  echo localhost > "$dir/etc/hostname"
}

# go_static OUT PKGDIR : build a static Go binary from a lab-owned module directory.
go_static() {
  local out="$1" dir="$2"
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath -ldflags "-s -w" -o "$out" .)
}

# pack_image OUT.tar ROOTFS CONFIG_JSON TAG...
#   CONFIG_JSON is the image's "config" object, e.g. {"Entrypoint":["/pause"]}.
#   Writes a docker-archive tar with one layer made from ROOTFS (numeric owners kept,
#   device nodes and /proc,/sys,/dev contents left out).
pack_image() {
  local out="$1" rootfs="$2" cfg="$3"; shift 3
  local tmp layer_sha cfg_sha tags="" t
  tmp=$(mktemp -d "${out}.XXXX")
  (cd "$rootfs" && find . -mindepth 1 -maxdepth 1 -printf '%P\n' | LC_ALL=C sort |
    tar --numeric-owner --sort=name --exclude='./dev/*' --exclude='dev/*' --exclude='proc/*' --exclude='sys/*' \
        -cf "$tmp/layer.tar" -T -)
  layer_sha=$(sha256sum < "$tmp/layer.tar" | cut -d' ' -f1)
  mkdir -p "$tmp/$layer_sha"; mv "$tmp/layer.tar" "$tmp/$layer_sha/layer.tar"
  printf '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"netdiag scripts/lab/images"}]}' \
    "$cfg" "$layer_sha" > "$tmp/config.json"
  cfg_sha=$(sha256sum < "$tmp/config.json" | cut -d' ' -f1)
  mv "$tmp/config.json" "$tmp/$cfg_sha.json"
  for t in "$@"; do tags+="${tags:+,}\"$t\""; done
  printf '[{"Config":"%s.json","RepoTags":[%s],"Layers":["%s/layer.tar"]}]' "$cfg_sha" "$tags" "$layer_sha" > "$tmp/manifest.json"
  tar -C "$tmp" -cf "$out.part" manifest.json "$cfg_sha.json" "$layer_sha"
  mv "$out.part" "$out"
  rm -rf "$tmp"
}

# cached_image NAME HASH : path of the cached archive (may not exist yet).
cached_image() { echo "$IMG_CACHE/$1-$2.tar"; }

# Drop older archives of image NAME, keeping the one with HASH.
prune_image() {
  local f
  for f in "$IMG_CACHE/$1"-*.tar; do
    [ -e "$f" ] || continue
    [ "$f" = "$IMG_CACHE/$1-$2.tar" ] || rm -f "$f"
  done
}
