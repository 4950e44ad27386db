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

# ------------------------------------------------------------------ busybox rootfs
# apt_debs SUITE PACKAGES... : download PACKAGES and their dependencies (no Recommends)
#   from SUITE of the machine's Debian mirror, as if nothing were installed, into a private
#   apt state under $NODE_CACHE/apt/SUITE (lists fetched once; NETDIAG_APT_REFRESH=1
#   fetches them again). Essential packages are NOT added: only what the packages depend
#   on. Prints the .deb files, one per line, in dependency order.
apt_debs() {
  local suite="$1"; shift
  local a="$NODE_CACHE/apt/$suite" sim line name ver arch f
  mkdir -p "$a/lists/partial" "$a/archives/partial" "$a/cache" "$a/empty"
  : > "$a/status"
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' "$(debian_mirror)" "$suite" > "$a/sources.list"
  local o=(-o "Dir::Etc::sourcelist=$a/sources.list" -o "Dir::Etc::sourceparts=$a/empty"
    -o "Dir::Etc::preferences=$a/empty/none" -o "Dir::Etc::preferencesparts=$a/empty"
    -o "Dir::State::lists=$a/lists" -o "Dir::State::status=$a/status" -o "Dir::Cache=$a/cache"
    -o "Dir::Cache::archives=$a/archives" -o Debug::NoLocking=1 -o APT::Sandbox::User=root
    -o APT::Architecture=amd64)
  _apt_update() { ilog "apt: fetching the $suite package lists (private state in $a)"; apt-get -q "${o[@]}" update >&2; }
  _apt_fetch() {
    sim=$(apt-get -s "${o[@]}" --no-install-recommends install "$@" 2>&1) &&
      apt-get -q -y "${o[@]}" --no-install-recommends --download-only install "$@" >&2
  }
  if [ "${NETDIAG_APT_REFRESH:-}" = 1 ] || ! compgen -G "$a/lists/*_Packages*" > /dev/null; then
    _apt_update || idie "apt-get update ($suite) failed"
  fi
  # stale lists (a package moved on the mirror): fetch them again and retry once
  _apt_fetch "$@" || { _apt_update && _apt_fetch "$@"; } ||
    { printf '%s\n' "$sim" | tail -5 >&2; idie "apt could not resolve or download: $*"; }
  # "Inst bash (5.2.37-2+b10 Debian:13.1/stable [amd64])" -> archives/bash_5.2.37-2+b10_amd64.deb
  local re='^Inst ([^ ]+) \(([^ ]+) [^[]*\[([a-z0-9]+)\]\)'
  while read -r line; do
    [[ $line == Inst\ * ]] || continue
    [[ $line =~ $re ]] || idie "apt: cannot read: $line"
    name=${BASH_REMATCH[1]} ver=${BASH_REMATCH[2]} arch=${BASH_REMATCH[3]}
    f="$a/archives/${name}_${ver//:/%3a}_${arch}.deb"
    [ -f "$f" ] || idie "apt did not leave $f"
    echo "$f"
  done <<< "$sim"
}

# Debian packages whose commands busybox provides on Alpine; never unpacked into a busybox rootfs.
GNU_TOOL_PKGS="coreutils findutils grep sed gawk mawk original-awk procps diffutils tar gzip bzip2 xz-utils cpio util-linux bsdutils bsdextrautils dash debianutils hostname sysvinit-utils traceroute"

# busybox_rootfs DIR SUITE SKIP PACKAGES... : a root filesystem like Alpine's, from Debian
#   packages: PACKAGES (which must include busybox) and their dependencies, unpacked with
#   dpkg-deb (no maintainer scripts, so no file capabilities and no debconf), except the
#   space-separated package names in SKIP (what busybox replaces, e.g. mawk). No GNU
#   coreutils, findutils, grep, sed, gawk, procps ...: busybox's applets are linked for every
#   command no package provides (as on Alpine, a package's own binary wins: iproute2's ip,
#   iputils' ping). Merged /usr, ld.so.cache, CA bundle, minimal /etc (passwd, group, hosts,
#   nsswitch.conf "hosts: files dns" as musl resolves, an empty resolv.conf).
busybox_rootfs() {
  local dir="$1" suite="$2" skip=" $3 "; shift 3
  local debs f pkg n p
  need_pkg apt dpkg tar
  apt_debs "$suite" "$@" > "$dir.debs" || idie "could not get the packages of $*"
  mapfile -t debs < "$dir.debs"; rm -f "$dir.debs"
  [ ${#debs[@]} -gt 0 ] || idie "no packages resolved for $*"
  rm -rf "$dir"; mkdir -p "$dir"/usr/{bin,sbin,lib,lib64}
  for n in bin sbin lib lib64; do ln -s "usr/$n" "$dir/$n"; done
  for f in "${debs[@]}"; do
    pkg=${f##*/}; pkg=${pkg%%_*}
    [[ $skip == *" $pkg "* ]] && { ilog "  skip $pkg (busybox provides it)"; continue; }
    # GNU tools must not come in through a dependency: they would shadow busybox's applets
    [[ " $GNU_TOOL_PKGS " == *" $pkg "* ]] && idie "$pkg would be unpacked (a dependency of $*): add it to SKIP or drop what needs it"
    dpkg-deb --fsys-tarfile "$f" | tar -x --keep-directory-symlink --no-same-owner -C "$dir" ||
      idie "could not unpack $f"
  done
  [ -x "$dir/usr/bin/busybox" ] || idie "busybox is not in the package list"
  mkdir -p "$dir"/{etc,root,tmp,var/tmp,run,proc,sys,dev,mnt,home}
  chmod 1777 "$dir/tmp" "$dir/var/tmp"; chmod 700 "$dir/root"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n' > "$dir/etc/passwd"
  printf 'root:x:0:root\nnobody:x:65534:\n' > "$dir/etc/group"
  printf '127.0.0.1\tlocalhost localhost.localdomain\n::1\t\tlocalhost localhost.localdomain\n' > "$dir/etc/hosts"
  printf 'hosts: files dns\n' > "$dir/etc/nsswitch.conf"
  : > "$dir/etc/resolv.conf"
  echo localhost > "$dir/etc/hostname"
  chroot "$dir" /usr/sbin/ldconfig || idie "ldconfig failed in $dir"
  # busybox applets where no package installed the command (bin/x and usr/bin/x are one)
  while read -r p; do
    n=${p##*/}
    [[ $p == */* ]] || continue # /linuxrc
    [ -e "$dir/usr/bin/$n" ] || [ -e "$dir/usr/sbin/$n" ] || [ -L "$dir/$p" ] && continue
    mkdir -p "$dir/${p%/*}"
    ln -s /usr/bin/busybox "$dir/$p"
  done < <(chroot "$dir" /usr/bin/busybox --list-full)
  # what update-ca-certificates would do: the bundle and the hashed directory
  if [ -d "$dir/usr/share/ca-certificates" ]; then
    mkdir -p "$dir/etc/ssl/certs"
    : > "$dir/etc/ssl/certs/ca-certificates.crt"
    while read -r p; do
      n=${p##*/}
      ln -sf "/usr/share/ca-certificates/$p" "$dir/etc/ssl/certs/${n%.crt}.pem"
      cat "$dir/usr/share/ca-certificates/$p" >> "$dir/etc/ssl/certs/ca-certificates.crt"
    done < <(cd "$dir/usr/share/ca-certificates" && find . -name '*.crt' -printf '%P\n' | LC_ALL=C sort)
    chroot "$dir" /usr/bin/openssl rehash /etc/ssl/certs >/dev/null 2>&1 || ilog "note: openssl rehash failed in $dir"
  fi
  rm -rf "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/usr/share/locale/* \
    "$dir"/usr/share/lintian "$dir"/var/cache/* "$dir"/var/log/*
}
