#!/usr/bin/env bash
# Runs the vitest suite (unit + integration) under faked clocks, to prove that no test depends
# on the day, the hour or the time zone it runs in. Each pass starts every process of the run at
# the given wall-clock time (libfaketime via `faketime`; the clock keeps ticking from there) in
# the given zone.
#
#   bash scripts/test-faked-clock.sh                      # the two default passes below
#   bash scripts/test-faked-clock.sh '2026-12-31 07:59:30 America/Los_Angeles' '2028-02-29 23:59:00 Asia/Shanghai'
#
# A clock is "YYYY-MM-DD HH:MM:SS [ZONE]": a wall-clock time in ZONE (an IANA name, default UTC).
# On Debian as root (or with sudo) a missing `faketime` is installed with apt; elsewhere the
# script says what to install. Exits non-zero when any pass fails.
set -uo pipefail
cd "$(dirname "$0")/.."

DEFAULT_CLOCKS=('2031-06-01 20:00:00 UTC' '2027-01-01 00:30:00 Asia/Shanghai')

ensure_faketime() {
  command -v faketime >/dev/null 2>&1 && return 0
  local sudo=''
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo='sudo'; fi
  if [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; }; then
    echo "[clock] installing the package the faked-clock tests need: faketime"
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime || return 1
    command -v faketime >/dev/null 2>&1 && return 0
  fi
  cat >&2 <<'EOF'
[clock] `faketime` (libfaketime) is missing, so the faked-clock tests cannot run. Install it first:
  Debian/Ubuntu:  sudo apt-get install -y faketime
  Fedora:         sudo dnf install -y libfaketime
  macOS:          brew install libfaketime
EOF
  return 1
}

ensure_faketime || exit 1

if [ "$#" -gt 0 ]; then clocks=("$@"); else clocks=("${DEFAULT_CLOCKS[@]}"); fi

pattern='^([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2})( ([A-Za-z_+0-9/-]+))?$'
for clock in "${clocks[@]}"; do
  if ! [[ "$clock" =~ $pattern ]]; then
    echo "[clock] not a clock: '$clock' (expected 'YYYY-MM-DD HH:MM:SS [ZONE]', e.g. '2027-01-01 00:30:00 Asia/Shanghai')" >&2
    exit 2
  fi
done

failed=()
total=${#clocks[@]}
pass=0
for clock in "${clocks[@]}"; do
  pass=$((pass + 1))
  [[ "$clock" =~ $pattern ]]
  at="${BASH_REMATCH[1]}"
  zone="${BASH_REMATCH[3]:-UTC}"
  echo
  echo "[clock] pass $pass/$total: TZ=$zone, the clock starts at $at ($zone) and keeps ticking"
  # What the test processes will see, so a libfaketime that does not reach node shows at once.
  if ! seen=$(TZ="$zone" faketime "$at" node -e 'const d = new Date(); console.log(`${d.toString()} = ${d.toISOString()}`)'); then
    echo "[clock] faketime could not start node under TZ=$zone at $at" >&2
    failed+=("$clock")
    continue
  fi
  echo "[clock] node sees: $seen"
  if TZ="$zone" faketime "$at" npx vitest run; then
    echo "[clock] pass $pass/$total passed: TZ=$zone at $at"
  else
    echo "[clock] pass $pass/$total FAILED: TZ=$zone at $at" >&2
    failed+=("$clock")
  fi
done

echo
if [ "${#failed[@]}" -gt 0 ]; then
  echo "[clock] ${#failed[@]} of $total pass(es) failed:" >&2
  for clock in "${failed[@]}"; do echo "  - $clock" >&2; done
  exit 1
fi
echo "[clock] all $total pass(es) passed"
