# Shared set-up for scripts/test, scripts/demo and the benchmarks. Source it; do not run it.
#
# - Cargo builds into one cache outside the checkout, so CI and every later run reuse it.
# - Python tools the tests use (moto's server mode, checkov, parliament) live in a virtual
#   environment under the same cache, created on first use.

EMRFORM_CACHE="${EMRFORM_CACHE:-$HOME/.cache/emrform}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$EMRFORM_CACHE/target}"
export EMRFORM_VENV="${EMRFORM_VENV:-$EMRFORM_CACHE/venv}"
MOTO_VERSION="5.2.1"

emrform_python_tools() {
  local stamp="$EMRFORM_VENV/.emrform-tools-v1"
  if [ -f "$stamp" ] && [ -x "$EMRFORM_VENV/bin/moto_server" ]; then
    return 0
  fi
  echo "==> installing moto $MOTO_VERSION into $EMRFORM_VENV" >&2
  python3 -m venv "$EMRFORM_VENV"
  "$EMRFORM_VENV/bin/pip" install --quiet --disable-pip-version-check \
    "moto[s3,dynamodb,ec2,ecr,iam,sts]==$MOTO_VERSION" flask flask-cors
  touch "$stamp"
}

# checkov reads plan JSON; it lives in its own environment (its pins clash with moto's).
export EMRFORM_CHECKOV_VENV="${EMRFORM_CHECKOV_VENV:-$EMRFORM_CACHE/checkov-venv}"
CHECKOV_VERSION="3.3.30"

emrform_checkov() {
  if [ ! -x "$EMRFORM_CHECKOV_VENV/bin/checkov" ]; then
    echo "==> installing checkov into $EMRFORM_CHECKOV_VENV" >&2
    python3 -m venv "$EMRFORM_CHECKOV_VENV"
    "$EMRFORM_CHECKOV_VENV/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION" \
      || "$EMRFORM_CHECKOV_VENV/bin/pip" install --quiet --disable-pip-version-check checkov
  fi
  export EMRFORM_CHECKOV="$EMRFORM_CHECKOV_VENV/bin/checkov"
}

# Where the tests find moto's server (they start it themselves on a free port).
export EMRFORM_MOTO_SERVER="$EMRFORM_VENV/bin/moto_server"
