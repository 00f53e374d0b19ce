#!/bin/sh
# The Tokentrail sandbox: builds what it needs, then starts Keycloak (with the Tokentrail listener and a
# demo realm), a demo backend and the viewer on 127.0.0.1, plays a short scenario and prints what to open.
# Ctrl-C stops everything. Needs JDK 21+ (JAVA_HOME) and Maven Central. See README.md, "Quick start".
# Options go to Maven, e.g. ./sandbox.sh -Dtokentrail.port.viewer=0   (0 = any free port)
cd "$(dirname "$0")" || exit 1
echo "Building Tokentrail (a few minutes the first time; the Keycloak download is cached in ~/.m2) ..."
exec ./mvnw -q -Psandbox -pl dist -am package -DskipTests "$@"
