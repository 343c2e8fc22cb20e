#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict on the module and its uAPI header. checkpatch.pl
# comes from Debian's linux-source-6.1 tarball (the headers package does
# not ship it); its three files are extracted once into build/checkpatch.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
dir=$top/build/checkpatch
tarball=$(ls -1 /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)

if [ ! -x "$dir/scripts/checkpatch.pl" ]; then
	[ -n "$tarball" ] || { echo "checkpatch: no linux-source tarball (make deps)" >&2; exit 1; }
	mkdir -p "$dir"
	base=$(basename "$tarball" .tar.xz)
	tar -xJf "$tarball" -C "$dir" --strip-components=1 \
		"$base/scripts/checkpatch.pl" "$base/scripts/spelling.txt" \
		"$base/scripts/const_structs.checkpatch"
fi

cd "$top"
# CAMELCASE: the only CamelCase names are the kernel's own, the fields of
# struct macsec_*_stats in include/net/macsec.h (802.1AE's counter names),
# which offload_ops.c fills in; checkpatch --no-tree cannot see that header.
files=($(ls drivers/net/vsecy/*.[ch] | grep -v "\.mod\.c$"))
[ -e include/uapi/linux/vsecy.h ] && files+=(include/uapi/linux/vsecy.h)
"$dir/scripts/checkpatch.pl" --no-tree --strict --terse --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,CAMELCASE -f "${files[@]}"
echo "checkpatch --strict: ${#files[@]} files clean"
