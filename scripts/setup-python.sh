#!/usr/bin/env bash
# Python tools the tests start, in a virtual environment inside the repository (.build-python/venv,
# git-ignored by `.build*/`). Idempotent: pip runs only when a tool's command is missing.
#   moto[server]  the S3-compatible server of the object storage tests (moto_server)
# Add a tool by appending it to `python_tools` and its command to `python_commands`.
set -euo pipefail
cd "$(dirname "$0")/.."

python_tools=("moto[server]")
python_commands=(moto_server)
venv=.build-python/venv

missing=0
for command in "${python_commands[@]}"; do
  [ -x "$venv/bin/$command" ] || missing=1
done
[ "$missing" -eq 0 ] && exit 0

# Debian splits `python3 -m venv` (ensurepip) into python3-venv.
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: need root to install python3-venv" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
fi
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
echo "setup: installing ${python_tools[*]} into $venv" >&2
"$venv/bin/pip" install -q --disable-pip-version-check "${python_tools[@]}" >/dev/null
