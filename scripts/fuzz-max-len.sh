# The -max_len of each fuzz target (sourced by fuzz-smoke.sh and fuzz-long.sh; docs/fuzzing.md).
# Inputs no longer than real first lines and blocks need: longer ones only slow each run.
max_len() {
  case $1 in
    ingest_any) echo 8192 ;;
    *) echo 4096 ;;
  esac
}
