#!/bin/sh
# A scripted Isabelle server console: prints the banner and greeting, then answers the N-th command line with the
# N-th file given as argument (a recorded server transcript). Later commands (shutdown) get "OK".
# Usage: replay.sh GREETING_FILE REPLY_FILE...
cat "$1"
shift
for reply in "$@"; do
  IFS= read -r command || exit 0
  cat "$reply"
done
while IFS= read -r command; do
  printf 'OK\n'
done
