#!/bin/sh
# Make sure the named Debian packages are installed. As root, install the
# missing ones with apt-get; otherwise print the exact command and fail.
missing=""
for pkg in "$@"; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "Installing missing Debian packages:$missing"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
else
	echo "Missing Debian packages:$missing"
	echo "Install them with: sudo apt-get install -y$missing"
	exit 1
fi
