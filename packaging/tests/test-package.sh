#!/usr/bin/env bash
# The Debian package test (ctest: package_deb). Builds the .deb from an already built tree with CPack,
# checks its control fields and contents, validates the desktop files, and runs both executables from a
# scratch root made with `dpkg -x` (no root and no `dpkg -i`, so a developer machine is left alone).
#
# Usage: test-package.sh BUILD_DIR SOURCE_DIR VERSION APP_ID
set -euo pipefail

build_dir=$1
source_dir=$2
version=$3
app_id=$4

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
die() { echo "FAIL: $*" >&2; exit 1; }

for tool in cpack dpkg-deb dpkg dpkg-shlibdeps file desktop-file-validate appstreamcli readelf gzip; do
    command -v "$tool" >/dev/null || die "$tool is missing (install dpkg-dev, file, desktop-file-utils, appstream, binutils)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/md-package-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- Build the package -------------------------------------------------------------------------------
# CPack only runs the install rules here: ctest never builds, and with Ninja CPack has no "preinstall"
# target to build either, so this packages what `cmake --build` produced. -B keeps CPack's staging
# area out of the build tree.
echo "== cpack -G DEB"
if ! (cd "$build_dir" && cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$work/out" \
        >"$work/cpack.log" 2>&1); then
    cat "$work/cpack.log" >&2
    die "cpack -G DEB failed"
fi
shopt -s nullglob
debs=("$work"/out/*.deb)
shopt -u nullglob
[ ${#debs[@]} -eq 1 ] || { cat "$work/cpack.log" >&2; die "expected exactly one .deb, got ${#debs[@]}"; }
deb=${debs[0]}
arch=$(dpkg --print-architecture)
[ "$(basename "$deb")" = "migrationdesk_${version}_${arch}.deb" ] \
    && pass "file name $(basename "$deb")" || fail "file name $(basename "$deb") is not migrationdesk_${version}_${arch}.deb"

# --- Control fields ----------------------------------------------------------------------------------
echo "== control"
dpkg-deb -f "$deb"
field() { dpkg-deb -f "$deb" "$1"; }
expect_field() {
    local value
    value=$(field "$1")
    [ "$value" = "$2" ] && pass "$1: $2" || fail "$1 is '$value', expected '$2'"
}
expect_field Package migrationdesk
expect_field Version "$version"
expect_field Section database
expect_field Architecture "$arch"
[ -n "$(field Maintainer)" ] && pass "Maintainer set" || fail "no Maintainer"
[ "$(field Description | wc -l)" -gt 2 ] && pass "Description has a long part" || fail "Description has no long part"

# Package names of a relationship field, one per line: alternatives split, versions and arch dropped.
names_of() { field "$1" | tr ',|' '\n\n' | sed -e 's/(.*)//' -e 's/:.*$//' -e 's/[[:space:]]//g' | sed '/^$/d' | sort -u; }
names_of Depends >"$work/depends"
names_of Recommends >"$work/recommends"
names_of Suggests >"$work/suggests"
has() { grep -qxF "$2" "$work/$1"; }

# Loaded at run time, so dpkg-shlibdeps cannot see them: declared by hand.
for pkg in libpq5 libqt6sql6-psql libsecret-1-0 postgresql-client qt6-translations-l10n; do
    has depends "$pkg" && pass "Depends: $pkg (by hand)" || fail "Depends lacks $pkg"
done
# Linked, so they must come from dpkg-shlibdeps.
for pkg in libc6 libstdc++6 libqt6core6 libqt6gui6 libqt6widgets6 libqt6sql6 libqt6keychain1; do
    has depends "$pkg" && pass "Depends: $pkg (shlibdeps)" || fail "Depends lacks $pkg"
done
for pkg in postgresql gnome-keyring; do
    has recommends "$pkg" && pass "Recommends: $pkg" || fail "Recommends lacks $pkg"
    has depends "$pkg" && fail "$pkg must be a Recommends, not a Depends"
done
for pkg in fonts-noto-cjk fonts-nanum; do
    has suggests "$pkg" && pass "Suggests: $pkg (Hangul for the Korean interface)" || fail "Suggests lacks $pkg"
done

# --- Contents ----------------------------------------------------------------------------------------
echo "== contents"
dpkg-deb -c "$deb" >"$work/contents"
awk '{print $6}' "$work/contents" | sed 's|^\./|/|; s|/$||' | sed '/^$/d' >"$work/paths"
expect_path() { grep -qxF "$1" "$work/paths" && pass "contains $1" || fail "missing $1"; }
expect_path /usr/bin/migrationdesk
expect_path /usr/bin/migrationdesk-cli
expect_path "/usr/share/applications/$app_id.desktop"
expect_path "/usr/share/metainfo/$app_id.metainfo.xml"
expect_path "/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
for size in 48 64 128 256; do
    expect_path "/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png"
done
expect_path /usr/share/man/man1/migrationdesk-cli.1.gz
expect_path /usr/share/man/man1/migrationdesk.1.gz
expect_path /usr/share/doc/migrationdesk/copyright
expect_path /usr/share/doc/migrationdesk/changelog.Debian.gz
outside=$(grep -v -e '^/usr$' -e '^/usr/' "$work/paths" | grep -v '^/$' || true)
[ -z "$outside" ] && pass "everything under /usr" || fail "files outside /usr: $outside"
grep -q -e '^/usr/local' -e '/include/' -e '\.a$' "$work/paths" \
    && fail "development or /usr/local files in the package" || pass "no /usr/local or development files"
not_root=$(awk '$2 != "root/root"' "$work/contents")
[ -z "$not_root" ] && pass "owned by root/root" || fail "files not owned by root: $not_root"

# --- Unpack into a scratch root and check the files themselves --------------------------------------
echo "== unpack"
root=$work/root
dpkg -x "$deb" "$root"

desktop_file=$root/usr/share/applications/$app_id.desktop
metainfo=$root/usr/share/metainfo/$app_id.metainfo.xml
desktop-file-validate "$desktop_file" && pass "desktop-file-validate" || fail "desktop-file-validate"
grep -qx "Icon=$app_id" "$desktop_file" && pass "desktop Icon=$app_id" || fail "desktop Icon is not $app_id"
grep -qx "Exec=migrationdesk" "$desktop_file" && pass "desktop Exec=migrationdesk" || fail "desktop Exec"
appstreamcli validate --no-net "$metainfo" && pass "appstreamcli validate --no-net" || fail "appstreamcli validate"
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" \
    && pass "metainfo launches $app_id.desktop" || fail "metainfo launchable"
grep -q "<release version=\"$version\"" "$metainfo" && pass "metainfo release $version" || fail "metainfo has no release $version"
# Each screenshot URL must name a file that really is in packaging/screenshots/.
shots=$(grep -o 'packaging/screenshots/[^<]*\.png' "$metainfo" || true)
[ -n "$shots" ] && pass "metainfo has screenshots" || fail "metainfo has no screenshots"
for shot in $shots; do
    [ -f "$source_dir/$shot" ] && pass "screenshot $shot exists" || fail "screenshot $shot is not in the sources"
done

for size in 48 64 128 256; do
    png=$root/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png
    file -b "$png" | grep -q "PNG image data, $size x $size" && pass "icon ${size}x${size} is a ${size}px PNG" \
        || fail "icon ${size}x${size}: $(file -b "$png")"
done
file -b "$root/usr/share/icons/hicolor/scalable/apps/$app_id.svg" | grep -qi svg && pass "scalable icon is SVG" \
    || fail "scalable icon is not SVG"

for page in migrationdesk-cli migrationdesk; do
    gz=$root/usr/share/man/man1/$page.1.gz
    if gzip -t "$gz" && gzip -dc "$gz" | grep -q "^\.TH $(echo "$page" | tr a-z A-Z) 1 "; then
        pass "man page $page.1.gz"
    else
        fail "man page $page.1.gz is not a gzipped section-1 page"
    fi
done
gzip -dc "$root/usr/share/man/man1/migrationdesk-cli.1.gz" | grep -q 'upgrade' && pass "man page documents upgrade" \
    || fail "man page does not document upgrade"

for exe in migrationdesk migrationdesk-cli; do
    file -b "$root/usr/bin/$exe" | grep -q ', stripped' && pass "$exe is stripped" || fail "$exe is not stripped"
done

# Every library the executables link must come from a package in Depends. A machine that has everything
# installed would run them anyway, so this asks dpkg who owns each NEEDED library instead.
owner_of() {
    local path=$1 real
    real=$(readlink -f "$path")
    for candidate in "$path" "$real" "/usr${path#/usr}" "${path#/usr}" "/usr${real#/usr}" "${real#/usr}"; do
        dpkg -S "$candidate" 2>/dev/null | head -n1 | cut -d: -f1 && return 0
    done
    return 1
}
for exe in migrationdesk migrationdesk-cli; do
    ldd "$root/usr/bin/$exe" >"$work/ldd-$exe"
    grep -q 'not found' "$work/ldd-$exe" && fail "$exe has unresolved libraries: $(grep 'not found' "$work/ldd-$exe")"
    for soname in $(readelf -d "$root/usr/bin/$exe" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        path=$(awk -v s="$soname" '$1 == s {print $3}' "$work/ldd-$exe")
        pkg=$(owner_of "$path") || { fail "$exe: no package owns $soname ($path)"; continue; }
        has depends "$pkg" && pass "$exe needs $soname from $pkg (in Depends)" \
            || fail "$exe needs $soname from $pkg, which is not in Depends"
    done
done
# The QPSQL driver is a plug-in: whichever package ships it must be in Depends.
qpsql=$(ls /usr/lib/*/qt6/plugins/sqldrivers/libqsqlpsql.so 2>/dev/null | head -n1 || true)
if [ -n "$qpsql" ]; then
    pkg=$(owner_of "$qpsql") && has depends "$pkg" && pass "QPSQL plug-in's package $pkg in Depends" \
        || fail "QPSQL plug-in's package (${pkg:-unknown}) not in Depends"
else
    fail "the QPSQL plug-in is not installed, cannot run the package's executables"
fi

# --- Run the installed executables -------------------------------------------------------------------
echo "== run"
cli_out=$(env -u DATABASE_URL "$root/usr/bin/migrationdesk-cli" --version 2>&1) || fail "migrationdesk-cli --version failed: $cli_out"
[ "$cli_out" = "migrationdesk-cli $version" ] && pass "installed migrationdesk-cli --version: $cli_out" \
    || fail "installed migrationdesk-cli --version printed '$cli_out'"
# Our translations are compiled into the binaries (Qt resources), so the installed CLI must speak Korean.
ko_out=$(env -u DATABASE_URL LANG=ko_KR.UTF-8 LC_ALL=ko_KR.UTF-8 "$root/usr/bin/migrationdesk-cli" --help 2>&1 || true)
case "$ko_out" in
    *사용법*) pass "installed migrationdesk-cli speaks Korean under a ko_KR locale" ;;
    *) fail "installed migrationdesk-cli --help is not Korean under ko_KR: $(printf '%s' "$ko_out" | head -1)" ;;
esac
gui_out=$(QT_QPA_PLATFORM=offscreen "$root/usr/bin/migrationdesk" --version 2>&1) || fail "migrationdesk --version failed: $gui_out"
[ "$gui_out" = "migrationdesk $version" ] && pass "installed migrationdesk --version: $gui_out" \
    || fail "installed migrationdesk --version printed '$gui_out'"
# The bundled migrations are compiled in: the installed CLI must render the offline script with no files.
if offline=$(cd "$work" && env -u DATABASE_URL "$root/usr/bin/migrationdesk-cli" upgrade head --sql 2>&1) \
        && grep -q 'CREATE TABLE employees' <<<"$offline"; then
    pass "installed migrationdesk-cli renders the bundled migrations offline"
else
    fail "installed migrationdesk-cli upgrade head --sql: $(head -n5 <<<"$offline")"
fi

# --- Report ------------------------------------------------------------------------------------------
echo "== package"
echo "$(basename "$deb"): $(stat -c %s "$deb") bytes ($(du -h "$deb" | cut -f1)), Installed-Size $(field Installed-Size) KiB"
echo "Depends: $(field Depends)"
echo "Recommends: $(field Recommends)"
echo "Suggests: $(field Suggests)"
cat "$work/contents"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "all package checks passed"
