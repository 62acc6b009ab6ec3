#!/usr/bin/env bash
# The conformance suite against REAL MISP servers: brings up MISP 2.3.178 and 2.5.1 (fresh
# databases) with ../shared/real-misp/misp-real, runs test/conformance/real.test.ts (and every other
# test file that reads MISP_REAL_*, one file at a time) against them,
# and stops them at the end — on failure and on Ctrl-C too. Used by `./dev real` and `.ci/run`.
#
#   scripts/real-misp.sh [--ids string|numeric|both] [-- <vitest arguments>]
#
# --ids  which id mode the servers answer in (default both, one after the other): `string` is
#        MISP's classic wire (ids and timestamps as JSON strings), `numeric` what a MISP on
#        PHP >= 8.1 without PDO::ATTR_STRINGIFY_FETCHES answers (MISP_REAL_NUMERIC_IDS=1).
#
# Without ../shared/real-misp it prints a skip line and succeeds. Servers that were already up
# when it started (a shared machine) are brought up again, fresh and in string mode, at the end
# instead of being left stopped. The first `up` on a machine installs Debian packages (~1-2 min,
# as root).
set -euo pipefail
cd "$(dirname "$0")/.."
REAL=../shared/real-misp/misp-real
ids=both
while [ $# -gt 0 ]; do
  case "$1" in
    --ids) ids=${2:?--ids needs string, numeric or both}; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "real-misp: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$ids" in string) modes=(0) ;; numeric) modes=(1) ;; both) modes=(0 1) ;;
  *) echo "real-misp: --ids must be string, numeric or both" >&2; exit 2 ;; esac

if [ ! -x "$REAL" ]; then
  echo "  ../shared/real-misp not found: skipping the conformance suite against real MISP 2.3.178 and 2.5.1"
  exit 0
fi

DIR=${MISP_REAL_DIR:-/tmp/misp-real}
answers() { # the server whose env file is $1 answers HTTP
  local url
  url=$(grep -o 'http://[^ ]*' "$1" 2>/dev/null | head -1) || return 1
  [ -n "$url" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 "$url/" || true)" != 000 ]
}
was_up=0
answers "$DIR/2.3/env" && answers "$DIR/2.5/env" && was_up=1
finish() {
  local rc=$?
  if [ $was_up = 1 ]; then
    echo "  real MISP: the servers were up before this run: bringing them up again (string ids)"
    MISP_REAL_NUMERIC_IDS=0 "$REAL" up 2.3 >/dev/null && MISP_REAL_NUMERIC_IDS=0 "$REAL" up 2.5 >/dev/null ||
      echo "  real MISP: could not bring them up again" >&2
  else
    "$REAL" down all >/dev/null 2>&1 || true
  fi
  exit $rc
}
trap finish EXIT
trap 'exit 130' INT TERM

failed=0
for numeric in "${modes[@]}"; do
  label=$([ "$numeric" = 1 ] && echo numeric || echo string)
  start=$(date +%s)
  echo "  real MISP ($label ids): starting 2.3.178 and 2.5.1"
  MISP_REAL_NUMERIC_IDS=$numeric "$REAL" up 2.3 >/dev/null
  MISP_REAL_NUMERIC_IDS=$numeric "$REAL" up 2.5 >/dev/null
  set -a
  # shellcheck disable=SC1091
  . "$DIR/2.3/env"; . "$DIR/2.5/env"
  set +a
  export MISP_REAL_NUMERIC_IDS=$numeric
  # every test file that reads the real servers' variables, one file at a time (the servers are shared)
  mapfile -t files < <(grep -rl --include='*.test.ts' 'MISP_REAL_' test | sort)
  echo "  real MISP ($label ids): up in $(($(date +%s) - start)) s; running ${files[*]} (one at a time)"
  npx vitest run --no-file-parallelism "${files[@]}" "$@" || failed=1
  echo "  real MISP ($label ids): $(($(date +%s) - start)) s in all"
done
exit $failed
