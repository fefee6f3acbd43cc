#!/bin/sh
# Installs Microsoft's SARIF validator (@microsoft/sarif-multitool, npm) into
# BUILD_DIR/sarif-multitool, where test/tools/sarif-validator.test finds it.
#   test/tools/Inputs/install-sarif-multitool.sh build
set -eu
dest="${1:?usage: install-sarif-multitool.sh BUILD_DIR}/sarif-multitool"
command -v npm >/dev/null || { echo "install-sarif-multitool: npm not found (apt-get install npm)" >&2; exit 2; }
mkdir -p "$dest"
npm install --no-audit --no-fund --silent --prefix "$dest" @microsoft/sarif-multitool@5.7.0
# npm may skip the package's postinstall (chmod u+x); do it here.
chmod u+x "$dest"/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
"$dest/node_modules/.bin/sarif-multitool" --version >/dev/null
echo "install-sarif-multitool: $dest/node_modules/.bin/sarif-multitool"
