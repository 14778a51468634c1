#!/usr/bin/env bash
# The Debian package, installed as a user would (issue 21). Run by `tools/bootstrap.sh test` after ctest:
#   tests/package/test_deb.sh [BUILD_DIR]
# Builds the .deb from the already-built tree (cpack -G DEB), installs it with apt-get, then checks:
#   - the package's Depends come from the linked libraries (dpkg-shlibdeps) and name libsoapysdr, and name
#     the packages of the libraries towerwatch loads on first use (libpq, libmosquitto, libgps, libpcap,
#     libosmocoding);
#   - the simulated radio is in SoapySDR's own module directory (asked from pkg-config and SoapySDR's
#     Version.h, not from our CMake), and the installed `towerwatch demo` with an empty environment finds it
#     and ends in the alert on the scene's rogue cell (the synthesizer's truth file names it);
#   - `towerwatch --version` is the version CMakeLists.txt's project() declares (and the package's);
#   - `man towerwatch` renders without a groff warning and documents every command;
#   - every option the bash completion offers is one the program accepts;
#   - the towerwatch system user exists in group plugdev and owns /var/lib/towerwatch; the service's command
#     line, built from /etc/towerwatch/monitor.conf and run as that user, monitors the simulated radio,
#     alerts on the rogue and writes its database there;
#   - `systemd-analyze verify` accepts the unit;
#   - after `apt-get remove`: no file of the package is left but the conffile, and besides dpkg's own records
#     only /etc/towerwatch and /var/lib/towerwatch remain; after `apt-get purge`: nothing, and no user.
# The package is purged again on every exit path: nothing stays installed on the machine.
# Needs root (it installs a package): skipped with a message otherwise, failed when CI is set.
set -euo pipefail
cd "$(dirname "$0")/../.."
src_dir="$PWD"
build_dir="$(cd "${1:-build}" && pwd)"

skip() { echo "test_deb: SKIPPED: $*" >&2; exit 0; }
fail() { echo "test_deb: FAILED: $*" >&2; exit 1; }
# Not root but allowed to sudo without a password (as bootstrap.sh's apt-get is): the test as root.
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  exec sudo -n -E bash "$0" "$build_dir"
fi
if [ "$(id -u)" -ne 0 ]; then
  [ -n "${CI:-}" ] && fail "needs root to install the package (CI is set)"
  skip "needs root to install the package (run as root, as CI does)"
fi
for tool in apt-get dpkg-deb dpkg-shlibdeps cpack man systemd-analyze runuser readelf; do
  command -v "$tool" >/dev/null || fail "$tool not found (tools/bootstrap.sh installs its package)"
done
apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -y -q "$@"; }
installed() { dpkg-query -W -f='${Status}' towerwatch 2>/dev/null | grep -q "ok installed"; }
known() { dpkg-query -W -f='${Status}' towerwatch 2>/dev/null | grep -qv "not-installed"; }
purge() { if known; then apt_get purge towerwatch >/dev/null; fi; }

work="$(mktemp -d /tmp/towerwatch-deb.XXXXXX)"
chmod 755 "$work"   # the towerwatch user runs the service command from here
cleanup() { purge || true; rm -rf "$work"; }
trap cleanup EXIT
if known; then
  echo "test_deb: purging a towerwatch package left installed" >&2
  purge
fi

# ---- build the package from the existing build tree ----
cmake --build "$build_dir" --target towerwatch towerwatchSimSupport towerwatch_docs >/dev/null
(cd "$work" && cpack --config "$build_dir/CPackConfig.cmake" -G DEB -B "$work/pkg" >cpack.log 2>&1) ||
  { cat "$work/cpack.log" >&2; fail "cpack -G DEB"; }
debs=("$work"/pkg/towerwatch_*.deb)
[ -f "${debs[0]}" ] || fail "cpack made no towerwatch_*.deb in $work/pkg"
deb="${debs[0]}"
echo "test_deb: built $(basename "$deb") ($(du -k "$deb" | cut -f1) kB)" >&2

project_version="$(sed -n 's/^project(towerwatch VERSION \([0-9.]*\).*/\1/p' "$src_dir/CMakeLists.txt")"
[ -n "$project_version" ] || fail "no version in CMakeLists.txt's project()"
[ "$(dpkg-deb -f "$deb" Version)" = "$project_version" ] || fail "package version $(dpkg-deb -f "$deb" Version) != $project_version"
depends="$(dpkg-deb -f "$deb" Depends)"
echo "test_deb: Depends: $depends" >&2
# Every library the binary links directly (ELF NEEDED) must come from a package in Depends.
needed="$(readelf -d "$build_dir/towerwatch" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
for lib in $needed; do
  [[ "$lib" == ld-linux* ]] && continue   # the dynamic loader (libc6's), which ldd lists without a path
  path="$(ldd "$build_dir/towerwatch" | awk -v l="$lib" '$1 == l && $3 ~ /^\// {print $3}')"
  [ -n "$path" ] || fail "ldd does not resolve $lib"
  owner=""
  # dpkg knows a file by the path its package ships (/lib or /usr/lib on Debian's merged /usr).
  for p in "$path" "$(readlink -f "$path")" "/usr${path#/usr}" "${path#/usr}"; do
    [ -n "$owner" ] || owner="$(dpkg -S "$p" 2>/dev/null | head -1 | cut -d: -f1 || true)"
  done
  [ -n "$owner" ] || fail "no package owns $path ($lib)"
  [[ ", $depends," == *", $owner "* || ", $depends," == *", $owner,"* ]] ||
    fail "$lib ($owner) is linked but not in Depends: $depends"
done
[[ "$depends" == *libsoapysdr* ]] || fail "Depends lacks libsoapysdr: $depends"
# The libraries loaded on first use (src/core/on_demand_library.hpp) are not ELF NEEDED: the package must
# depend on the package dpkg says owns each of them, and the binary must not list them.
for lib in libpq.so libmosquitto.so libgps.so libpcap.so libosmocoding.so; do
  ! grep -q "^[[:space:]]*$lib" <<<"$(ldd "$build_dir/towerwatch")" || fail "$lib is linked at start (expected on demand)"
  path="$(ldconfig -p | awk -v l="$lib" 'index($1, l) == 1 && !p {print $NF; p = 1}')"
  [ -n "$path" ] || fail "ldconfig knows no $lib"
  owner="$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1 || true)"
  [ -n "$owner" ] || fail "no package owns $path"
  [[ ", $depends," == *", $owner "* || ", $depends," == *", $owner,"* ]] ||
    fail "$lib ($owner, loaded on demand) is not in Depends: $depends"
done

# SoapySDR's own module directory: its libdir (pkg-config) and ABI version (Version.h).
soapy_libdir="$(pkg-config --variable=libdir SoapySDR)"
soapy_abi="$(sed -n 's/^#define SOAPY_SDR_ABI_VERSION "\(.*\)"/\1/p' "$(pkg-config --variable=includedir SoapySDR)/SoapySDR/Version.h")"
module="$soapy_libdir/SoapySDR/modules$soapy_abi/libtowerwatchSimSupport.so"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' > "$work/contents"
for f in /usr/bin/towerwatch "$module" /usr/share/man/man1/towerwatch.1 \
         /usr/share/bash-completion/completions/towerwatch /usr/share/doc/towerwatch/README.md \
         /usr/lib/systemd/system/towerwatch-monitor.service /usr/libexec/towerwatch/monitor-service \
         /etc/towerwatch/monitor.conf; do
  grep -qx "$f" "$work/contents" || fail "$f is not in the package"
done
[ "$(dpkg-deb -I "$deb" conffiles)" = "/etc/towerwatch/monitor.conf" ] || fail "conffiles: $(dpkg-deb -I "$deb" conffiles)"

# ---- install ----
cp "$deb" "$work/"
(cd "$work" && apt_get install "./$(basename "$deb")" >"$work/apt.log" 2>&1) || { cat "$work/apt.log" >&2; fail "apt-get install"; }
installed || fail "towerwatch not installed after apt-get install"
[ -f "$module" ] || fail "$module not installed"

# The installed demo, no environment: the module comes from SoapySDR's search path. Truth: the scene's rogue
# as the synthesizer's truth file gives it.
(cd "$work" && env -i PATH=/usr/bin:/bin /usr/bin/towerwatch synth city-with-rogue --freq 947.4M --rate 1.083333M \
   --duration 0.01 -o "$work/scene.cf32" >/dev/null 2>&1) || fail "towerwatch synth"
rogue="$(tr -d ' \n' < "$work/scene.truth.json" | grep -o '{[^{}]*"name":"rogue"[^{}]*' | head -1)"
rogue_arfcn="$(printf '%s' "$rogue" | grep -o '"arfcn":[0-9]*' | head -1 | cut -d: -f2)"
rogue_lac="$(printf '%s' "$rogue" | grep -o '"lac":[0-9]*' | head -1 | cut -d: -f2)"
[ -n "$rogue_arfcn" ] && [ -n "$rogue_lac" ] || fail "no rogue cell in the truth file: $(head -c 600 "$work/scene.truth.json")"
(cd "$work" && env -i PATH=/usr/bin:/bin /usr/bin/towerwatch demo >"$work/demo.out" 2>"$work/demo.err") ||
  { cat "$work/demo.err" >&2; fail "installed towerwatch demo (empty environment) exited non-zero"; }
(cd "$work" && env -i PATH=/usr/bin:/bin /usr/bin/towerwatch demo --json >"$work/demo.json" 2>/dev/null) ||
  fail "installed towerwatch demo --json"
alerts="$(grep -c '"type":"alert"' "$work/demo.json" || true)"
alert="$(grep '"type":"alert"' "$work/demo.json" || true)"
[ "$alerts" = 1 ] || fail "demo: $alerts alerts, expected the rogue's only: $(cat "$work/demo.json")"
[[ "$alert" == *"\"arfcn\":$rogue_arfcn,"* && "$alert" == *"\"lac\":$rogue_lac,"* ]] ||
  fail "demo's alert is not on the rogue (ARFCN $rogue_arfcn, LAC $rogue_lac): $alert"
last="$(grep -v '^[[:space:]]*$' "$work/demo.out" | tail -n 12)"
[[ "$last" == *"$rogue_lac"* ]] || fail "the demo's output does not end with the rogue's alert: $last"
echo "test_deb: installed demo (env -i): 1 alert, on the rogue (ARFCN $rogue_arfcn, LAC $rogue_lac)" >&2

version_out="$(env -i PATH=/usr/bin:/bin /usr/bin/towerwatch --version)"
[ "$version_out" = "towerwatch $project_version" ] || fail "--version: '$version_out', expected 'towerwatch $project_version'"

# The man page: found by man, renders without groff warnings, documents every command and its options.
[ -f /usr/share/man/man1/towerwatch.1 ] || fail "man page not installed (dpkg path-exclude of /usr/share/man?)"
man_out="$(MANWIDTH=100 man -P cat towerwatch 2>"$work/man.err")" || { cat "$work/man.err" >&2; fail "man towerwatch"; }
MANWIDTH=100 man --warnings=all -P cat -l /usr/share/man/man1/towerwatch.1 >/dev/null 2>"$work/man.warn"
[ ! -s "$work/man.warn" ] || { cat "$work/man.warn" >&2; fail "groff warnings rendering the man page"; }
commands="$(/usr/bin/towerwatch --help | awk '/^commands:/{c=1; next} c && /^  [a-z]/{print $1}')"
for cmd in $commands; do
  [[ "$man_out" == *"towerwatch $cmd"* ]] || fail "man page lacks 'towerwatch $cmd'"
  for opt in $(/usr/bin/towerwatch "$cmd" --help | grep -o '^  --[a-z0-9-]*'); do
    [[ "$man_out" == *"$opt"* ]] || fail "man page lacks $cmd's option $opt"
  done
done
echo "test_deb: man towerwatch: $(printf '%s\n' "$man_out" | wc -l) lines, every command and option" >&2

# The bash completion: commands; every option offered is accepted by the program (an unknown option is an
# error, exit 2; with --help after it the command prints its help and exits 0).
complete_words() {  # complete_words WORD... : the completions for the last word
  bash -c 'source /usr/share/bash-completion/completions/towerwatch
           COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _towerwatch; printf "%s\n" "${COMPREPLY[@]}"' _ "$@"
}
[ "$(complete_words towerwatch mon)" = monitor ] || fail "completion of 'towerwatch mon': $(complete_words towerwatch mon)"
[ "$(complete_words towerwatch monitor --clock '' | sort | tr '\n' ' ')" = "stream wall " ] ||
  fail "completion of 'monitor --clock': $(complete_words towerwatch monitor --clock '')"
[ "$(complete_words towerwatch baseline '' | sort | tr '\n' ' ')" = "import learn show " ] ||
  fail "completion of 'baseline': $(complete_words towerwatch baseline '')"
offered=0
for cmd in $commands; do
  opts="$(complete_words towerwatch "$cmd" --)"
  [ -n "$opts" ] || fail "completion offers no option for $cmd"
  for opt in $opts; do
    offered=$((offered + 1))
    /usr/bin/towerwatch "$cmd" "$opt" 1 --help >/dev/null 2>&1 ||
      /usr/bin/towerwatch "$cmd" "$opt" --help >/dev/null 2>&1 || fail "completion offers '$cmd $opt', which $cmd rejects"
  done
  /usr/bin/towerwatch "$cmd" --no-such-option --help >/dev/null 2>&1 && fail "$cmd accepts any option: the check above proves nothing"
done
echo "test_deb: bash completion: $offered options offered, all accepted" >&2

# The service's user, state directory and command line (the unit's EnvironmentFile, run as its user).
id -nG towerwatch | tr ' ' '\n' | grep -qx plugdev || fail "user towerwatch is not in group plugdev: $(id -nG towerwatch)"
[ "$(stat -c %U:%a /var/lib/towerwatch)" = "towerwatch:750" ] || fail "/var/lib/towerwatch: $(stat -c %U:%a /var/lib/towerwatch)"
mapfile -t conf < <(grep -E '^[A-Z_]+=' /etc/towerwatch/monitor.conf)
(cd "$work" && runuser -u towerwatch -- env -i PATH=/usr/bin:/bin "${conf[@]}" \
    TW_DATA_DIR=/var/lib/towerwatch TW_CONFIG_DIR=/var/lib/towerwatch HOME=/var/lib/towerwatch \
    TOWERWATCH_DEVICE=driver=towerwatch-sim,scene=city-with-rogue TOWERWATCH_LEARN=0 \
    TOWERWATCH_OPTIONS="--clock stream --max-sweeps 1 --json" \
    /usr/libexec/towerwatch/monitor-service >"$work/monitor.json" 2>"$work/monitor.err") ||
  { cat "$work/monitor.err" >&2; fail "the service's command (monitor-service) as user towerwatch"; }
grep '"type":"alert"' "$work/monitor.json" | grep -q "\"lac\":$rogue_lac," ||
  fail "the service's monitor did not alert on the rogue: $(cat "$work/monitor.json")"
[ "$(stat -c %U /var/lib/towerwatch/towerwatch.db 2>/dev/null)" = towerwatch ] || fail "no database owned by towerwatch in /var/lib/towerwatch"
echo "test_deb: monitor-service as user towerwatch: rogue alert, database in /var/lib/towerwatch" >&2

for unit in /usr/lib/systemd/system/towerwatch-monitor.service /usr/lib/systemd/system/towerwatch-collect.service; do
  systemd-analyze verify "$unit" >"$work/verify.out" 2>&1 || { cat "$work/verify.out" >&2; fail "systemd-analyze verify $unit"; }
  # Only complaints about this unit count (verify also loads the units it is ordered after).
  if grep -i "towerwatch" "$work/verify.out"; then fail "systemd-analyze verify warns about $unit"; fi
done
echo "test_deb: systemd-analyze verify (monitor, collect): ok" >&2

# ---- remove: only the configuration and the service's data stay ----
leftovers() {  # every path naming towerwatch outside dpkg's records, the build trees and temporary files
  find /usr /etc /var /opt /srv -path /var/lib/dpkg -prune -o -path /var/log -prune -o -path /var/cache -prune \
    -o -path /var/tmp -prune -o -name '*towerwatch*' -print 2>/dev/null | sort
}
apt_get remove towerwatch >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "apt-get remove"; }
while read -r f; do
  [ "$f" = /etc/towerwatch/monitor.conf ] && continue
  if [ -e "$f" ] && [ ! -d "$f" ]; then fail "$f is left after apt-get remove"; fi
done < "$work/contents"
left="$(leftovers)"
unexpected="$(printf '%s\n' "$left" | grep -v -x -e /etc/towerwatch -e /etc/towerwatch/monitor.conf \
  -e /var/lib/towerwatch -e '/var/lib/towerwatch/.*' || true)"
[ -z "$unexpected" ] || fail "left after apt-get remove besides configuration and data: $unexpected"
[ -f /var/lib/towerwatch/towerwatch.db ] || fail "apt-get remove deleted the service's data"
echo "test_deb: after apt-get remove: $(printf '%s\n' "$left" | tr '\n' ' ')" >&2

apt_get purge towerwatch >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "apt-get purge"; }
left="$(leftovers)"
[ -z "$left" ] || fail "left after apt-get purge: $left"
getent passwd towerwatch >/dev/null && fail "user towerwatch is left after purge"
getent group towerwatch >/dev/null && fail "group towerwatch is left after purge"
known && fail "dpkg still knows towerwatch after purge"
echo "test_deb: after apt-get purge: nothing left" >&2
echo "test_deb: PASSED" >&2
