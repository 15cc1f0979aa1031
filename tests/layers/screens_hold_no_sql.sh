#!/bin/sh
# screens_hold_no_sql.sh - CTest layers.screens_hold_no_sql: the screens
# (the fugai command in edge/cli, the web console in common/web, the
# rendering layer) and the daemons' mains parse, call the domain or the
# engine, and render; they hold no SQL. Fails naming each line that
# prepares, executes or spells a statement.
#
# Usage: screens_hold_no_sql.sh SOURCE_DIR
set -eu
top=$1
found=$(grep -rnE 'sqlite3_(prepare|exec|step|bind)|"[[:space:]]*(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA|WITH)[[:space:]]' \
        "$top/edge" "$top/hub" "$top/common/web" "$top/common/render" --include='*.c' --include='*.h' || true)
if [ -n "$found" ]; then
    echo "SQL in a screen (move it to common/domain or the engine):"
    echo "$found"
    exit 1
fi
echo "no SQL in edge/, hub/, common/web, common/render"
