#!/bin/sh
# A scripted `fstar.exe --ide`: prints the protocol-info line, then for each query line prints the next line of the
# recorded expected-output file whose query-id matches, plus any message lines recorded before it.
# Usage: replay-ide.sh EXPECTED_OUTPUT_FILE
{
  IFS= read -r info
  printf '%s\n' "$info"
  while IFS= read -r query <&3; do
    while IFS= read -r reply; do
      printf '%s\n' "$reply"
      case "$reply" in
        *'"kind": "response"'*) break ;;
      esac
    done
  done
} 3<&0 < "$1"
