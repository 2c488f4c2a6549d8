# Finds a JDK 25 for Colony's scripts (bin/colony, mvnw, .ci/run). Source it, then call
# colony_find_jdk: prints the JDK's home on stdout, or explains on stderr and returns 1.
# Order: $JAVA_HOME, then `java` on PATH, then /usr/lib/jvm/*.

colony_jdk_major() { # $1 = path to a java binary; prints its major version
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1
}

colony_is_jdk25() { # $1 = a candidate JDK home
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ "$(colony_jdk_major "$1/bin/java")" = "25" ]
}

colony_find_jdk() {
  local candidate seen=""
  if [ -n "${JAVA_HOME:-}" ]; then
    if colony_is_jdk25 "$JAVA_HOME"; then echo "$JAVA_HOME"; return 0; fi
    seen="JAVA_HOME=$JAVA_HOME (not a JDK 25)"
  fi
  if command -v java >/dev/null 2>&1; then
    candidate="$(cd "$(dirname "$(readlink -f "$(command -v java)")")/.." && pwd)"
    if colony_is_jdk25 "$candidate"; then echo "$candidate"; return 0; fi
    seen="${seen:+$seen; }java on PATH is $(colony_jdk_major "$candidate/bin/java" || echo '?') at $candidate"
  fi
  for candidate in /usr/lib/jvm/*; do
    if colony_is_jdk25 "$candidate"; then echo "$candidate"; return 0; fi
  done
  cat >&2 <<MSG
Colony needs a JDK 25 (java and javac), and none was found.
Looked at: ${seen:-no JAVA_HOME, no java on PATH}; /usr/lib/jvm/*.
Install one, for example:
  Debian/Ubuntu:  sudo apt-get install openjdk-25-jdk   (or temurin-25-jdk from the Adoptium repository)
  macOS:          brew install openjdk@25
  any system:     a JDK 25 from https://adoptium.net, then export JAVA_HOME=/path/to/jdk-25
MSG
  return 1
}
