#!/usr/bin/env bash
# System programs the test suite runs for real (not Python packages: those are in pyproject.toml).
# Installs what is missing with apt-get when run as root; otherwise says what to install.
set -euo pipefail
needed=()
# redis-server: the distributed-crawl tests start a real Redis on 127.0.0.1.
command -v redis-server >/dev/null 2>&1 || needed+=(redis-server)
if [ ${#needed[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing test tools: ${needed[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
else
    echo "missing test tools: ${needed[*]} (install them, e.g. sudo apt-get install ${needed[*]})" >&2
    exit 1
fi
