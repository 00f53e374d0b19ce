#!/bin/sh
# The Tokentrail sandbox: builds what it needs, then starts on 127.0.0.1 Keycloak (with the Tokentrail
# listener and a demo realm), a demo backend, the Gravitee gateway in front of it (JWT plan + the
# tokentrail-capture policy) and the viewer, plays a short scenario and prints what to open.
# Ctrl-C, SIGTERM or SIGHUP stops everything (a background start, ./sandbox.sh &, ignores Ctrl-C:
# kill <pid> stops it). Needs JDK 21+ (JAVA_HOME) and Maven Central. See README.md, "Quick start".
#
#   ./sandbox.sh [--fresh] [Maven options ...]
#
# --fresh   deletes the data root (dist/target/sandbox/data) first; otherwise it is kept and the
#           trails and findings of earlier runs stay in it.
# Every other argument goes to Maven, e.g. -Dtokentrail.port.viewer=0 (0 = any free port); the port
# properties: tokentrail.port.{keycloak,keycloak.management,backend,gateway,viewer}, see dist/README.md.
cd "$(dirname "$0")" || exit 1
if [ "${1:-}" = "--fresh" ]; then
  shift
  echo "Deleting the sandbox data root dist/target/sandbox/data (earlier runs' trails and findings) ..."
  rm -rf dist/target/sandbox/data || exit 1
fi
echo "Building Tokentrail (a few minutes the first time; the Keycloak download is cached in ~/.m2) ..."
exec ./mvnw -q -Psandbox -pl dist -am package -DskipTests "$@"
