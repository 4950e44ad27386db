#!/usr/bin/env bash
# chroot-run.sh — runs a command inside the alpine-like probe image's unpacked rootfs, the
# way a probe pod's container sees the world (root only; the probe tests call it).
#
#   chroot-run.sh [--user UID] [--repo DIR] ROOTFS CMD [ARGS...]
#
# In a private mount namespace (the one `ip netns exec` already made, or a new one): the
# namespace's own /proc, /sys (so /sys/class/net shows the netns's interfaces), /dev, its
# /etc/resolv.conf (ip netns exec's /etc/netns/NS/resolv.conf), the host's /tmp (work dirs,
# CA files and wrappers the tests write keep their paths inside), and DIR (the repo,
# read-only) at /mnt. The mounts vanish with the namespace: nothing to clean up, nothing
# leaks into the host's mount table.
#
# --user UID runs CMD as UID:UID the way Pod Security `restricted` runs a probe: no
# supplementary groups, no capabilities (chroot drops them with root; the bounding set keeps
# only what chroot itself needs), no_new_privs.
set -euo pipefail
# the host's tools for this script; the command inside gets the caller's PATH (it may hide tools)
[[ -n ${NDP_CALLER_PATH+x} ]] || export NDP_CALLER_PATH=${PATH:-/usr/bin:/bin}
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
user='' repo=''
while (($# > 0)); do
  case $1 in
    --user) user=$2; shift 2 ;;
    --repo) repo=$2; shift 2 ;;
    *) break ;;
  esac
done
root=${1:?rootfs}
shift
(($# > 0)) || { echo "usage: chroot-run.sh [--user UID] [--repo DIR] ROOTFS CMD [ARGS...]" >&2; exit 2; }
[[ -x $root/usr/bin/busybox ]] || { echo "chroot-run.sh: $root is not the alpine-like rootfs" >&2; exit 2; }

if [[ ${NDP_CHROOT_NS:-} != 1 ]]; then
  # a mount namespace of our own (inside ip netns exec this nests, which is fine)
  export NDP_CHROOT_NS=1
  exec unshare --mount --propagation private -- bash "$0" ${user:+--user "$user"} ${repo:+--repo "$repo"} "$root" "$@"
fi
unset NDP_CHROOT_NS
mount -t proc proc "$root/proc"
mount --bind /sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /tmp "$root/tmp"
[[ -f /etc/resolv.conf ]] && mount --bind /etc/resolv.conf "$root/etc/resolv.conf"
[[ -n $repo ]] && mount --bind -o ro "$repo" "$root/mnt"
chroot=$(command -v chroot) setpriv=$(command -v setpriv)
caller_path=$NDP_CALLER_PATH
unset NDP_CALLER_PATH
if [[ -z $user ]]; then
  PATH=$caller_path exec "$chroot" "$root" "$@"
fi
[[ $user =~ ^[0-9]+$ ]] || { echo "chroot-run.sh: --user wants a numeric uid" >&2; exit 2; }
PATH=$caller_path exec "$setpriv" --bounding-set=-all,+sys_chroot,+setuid,+setgid --inh-caps=-all --ambient-caps=-all --no-new-privs -- \
  "$chroot" --userspec="$user:$user" "$root" "$@"
