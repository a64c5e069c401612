# install-cni.sh SRC DEST [NAME...] — install CNI executables from SRC into the host directory DEST.
# Every file is copied next to its target under a temporary dot-name and then renamed over it: rename(2) is atomic,
# so a plugin being exec'd keeps its old inode and no caller ever sees a missing or half-written binary.
# Without NAMEs, every regular file in SRC is installed. Run as: sh -c "$(cat install-cni.sh)" install-cni SRC DEST …
set -eu
src="$1"
dest="$2"
shift 2
[ "$#" -gt 0 ] || set -- $(cd "$src" && for f in *; do [ -f "$f" ] && printf '%s ' "$f"; done)
mkdir -p "$dest"
for name in "$@"; do
  if [ ! -f "$src/$name" ]; then
    echo "install-cni: $src/$name does not exist" >&2
    exit 1
  fi
  tmp="$dest/.$name.spiderpool-new"
  rm -f "$tmp"
  cp "$src/$name" "$tmp"
  chmod 0755 "$tmp"
  mv -f "$tmp" "$dest/$name"
  echo "install-cni: installed $dest/$name"
done
