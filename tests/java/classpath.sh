#!/usr/bin/env bash
# Resolves the classpath of tests/java/pom.xml (the AWS SDK for Java 2.x under its BOM, org.json)
# with Maven, once per version of the pom, and prints the file that holds it. Maven's downloads
# and the classpath file stay inside the checkout, in .cache/ (git-ignored). .ci/run calls this;
# the Java export tests call it too and reuse the file when it is already there.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
pom="$root/tests/java/pom.xml"
out="$root/.cache/java/classpath-$(sha256sum "$pom" | cut -c1-16).txt"
if [ ! -s "$out" ]; then
  if ! command -v mvn >/dev/null 2>&1; then
    echo "Maven (mvn) is not installed; the Java export tests need it to resolve the AWS SDK for Java: apt-get install maven (.ci/run does)." >&2
    exit 1
  fi
  mkdir -p "$root/.cache/java"
  mvn -B -q -Dstyle.color=never -f "$pom" -Dmaven.repo.local="$root/.cache/maven" \
    dependency:build-classpath -Dmdep.outputFile="$out.partial" >&2
  mv "$out.partial" "$out"
fi
echo "$out"
