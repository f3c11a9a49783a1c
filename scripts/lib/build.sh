# Sourced by scripts/engine.sh and scripts/cluster-build.sh: builds from Go modules into a cache entry
# ($dest, log $log), one build at a time per entry, a line per step on the terminal, older entries pruned.
# The caller defines say().

# Waits for (or takes) the entry's lock: tests and `npm run up` may start a build together.
build_lock() {
  [ -f "$dest/.complete" ] && return 0
  mkdir -p "$dest"
  exec 9>"$dest/.lock"
  if ! flock -n 9; then
    say "another build of $dest is running (log: $log); waiting for it"
    flock 9
  fi
}

# build_begin WRAPPERS OUT…: a fresh copy of the wrapper modules in $dest/src, empty output folders, an empty
# log, and Go set to build them (static binaries, go.mod tidied on the fly).
build_begin() {
  build_started=$(date +%s)
  rm -rf "$dest/src" "${@:2}"
  mkdir -p "$dest/src" "${@:2}"
  cp -R "$1/." "$dest/src/"
  : >"$log"
  export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod"
}

# build_end OUT…: records the size of the output folders and the build's time, and marks it complete.
build_end() {
  du -shc "$@" | awk 'END {print $1}' > "$dest/size"
  echo $(( $(date +%s) - build_started )) > "$dest/build-seconds"
  touch "$dest/.complete"
  say "built in $(cat "$dest/build-seconds") s, $(cat "$dest/size") of binaries: $dest"
}

# build_step WHAT COMMAND…: the command's output goes to $log; a failure shows the log's tail and exits.
build_step() {
  say "building $1 (log: $log)"
  printf '\n== %s\n' "$1" >>"$log"
  local t0; t0=$(date +%s)
  if ! "${@:2}" >>"$log" 2>&1; then say "FAILED: $1 (see $log)"; tail -20 "$log" >&2; exit 1; fi
  say "  done in $(( $(date +%s) - t0 )) s"
}

# Older entries under $1 are dead weight (hundreds of MB each), unless another checkout used one in the
# last hour (a test run of another commit may be on it right now).
prune_old_builds() {
  touch "$dest/.last-used"
  local old
  for old in "$1"/*/; do
    old="${old%/}"
    [ "$old" != "$dest" ] && [ -f "$old/.complete" ] || continue
    [ -n "$(find "$old/.last-used" -mmin -60 2>/dev/null)" ] && continue
    rm -rf "$old"
  done
}
