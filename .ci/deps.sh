#!/usr/bin/env bash
# Installs everything MigrationDesk needs to build, test and run on Debian 12 (clang-14 and
# libfuzzer-14-dev: the fuzz targets of tests/fuzz, built and run by tests/fuzz/run.sh in CI).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq \
    build-essential cmake ninja-build ccache pkg-config git ca-certificates \
    qt6-base-dev libqt6sql6-psql qtkeychain-qt6-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools \
    qt6-translations-l10n libgl-dev libpq-dev postgresql postgresql-client \
    pgbouncer openssl \
    gnome-keyring dbus dbus-x11 xvfb xauth \
    dpkg-dev file desktop-file-utils appstream \
    clang-14 libfuzzer-14-dev \
    alembic python3-sqlalchemy python3-psycopg2 >/dev/null
