#!/usr/bin/env bash
# A private PostgreSQL server for the push tests, on a Unix socket in DIR.
#   pg_server.sh start DIR   initdb + start; prints the connection URI on stdout
#   pg_server.sh stop DIR    stop it
# Uses Debian's server binaries (package postgresql-15, which `make test` installs).
# As root it runs the server as the postgres user, since PostgreSQL refuses root.
# Exit status 3 with a message on stderr when no server can be started here.
set -euo pipefail
action=$1 dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql-15)" >&2
  exit 3
fi
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then echo "running as root and there is no postgres user" >&2; exit 3; fi
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
case $action in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    as_server_user "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { echo "initdb failed: $(tail -3 "$dir/initdb.log")" >&2; exit 3; }
    port=$(( 20000 + RANDOM % 20000 ))
    as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -c listen_addresses='' -p $port -c fsync=off" start >/dev/null ||
      { echo "the server did not start: $(tail -3 "$dir/server.log")" >&2; exit 3; }
    echo "postgresql://postgres@/postgres?host=$dir&port=$port"
    ;;
  stop)
    as_server_user "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
