# Sourced by bin/tessera and .ci/run: sets JAVA_HOME to a JDK 25 or newer, or explains and fails.
tessera_jdk_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
tessera_pick_jdk() {
  local c v
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    v=$(tessera_jdk_major "$c"); v=${v%%.*}
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$c"; return 0; fi
  done
  return 1
}
if ! JAVA_HOME=$(tessera_pick_jdk); then
  echo "Tessera needs a JDK 25 or newer and found none (looked at \$JAVA_HOME, /usr/lib/jvm, /opt)." >&2
  echo "Install one (e.g. Temurin 25) or set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
