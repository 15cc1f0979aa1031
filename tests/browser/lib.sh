# lib.sh - what the browser tests' scripts share (after
# tests/integration/lib.sh and it_begin): the browser's driver installed
# from the test folder's lockfile (playwright-core for Chromium,
# puppeteer-core for Firefox), and a test script run with exit 77 (the
# browser cannot start) turned into a skipped test.

#  browser_setup [chromium|firefox]: the browser (default chromium), node,
#  npm and curl checked; $here's package.json and package-lock.json
#  installed with npm ci into $S/node; $S/shots made
browser_setup () {
    BROWSER=${1:-chromium}
    local binary=/usr/bin/chromium
    [ "$BROWSER" = firefox ] && binary=/usr/bin/firefox-esr
    for tool in node npm curl; do
        command -v $tool >/dev/null || fail "$tool is needed (deploy/install-deps)"
    done
    [ -x $binary ] || fail "$binary is missing (deploy/install-deps installs it)"
    mkdir -p "$S/node" "$S/shots"
    cp "$here/package.json" "$here/package-lock.json" "$S/node/"
    (cd "$S/node" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) > "$S/logs/npm.out" 2>&1 \
        || { cat "$S/logs/npm.out" >&8; fail "npm ci failed"; }
}

#  browser_run SCRIPT.js [WHAT]: run it (the environment as set), its
#  output in $S/logs/browser.out; exit 77 ends the test as skipped
browser_run () {
    local rc=0
    NODE_PATH=$S/node/node_modules FUGAI_SHOTS=$S/shots node "$here/$1" 2>&1 | tee -a "$S/logs/browser.out" || rc=$?
    if [ $rc = 77 ]; then
        echo "SKIPPED [$IT_NAME]: ${BROWSER:-chromium} cannot start here (see above)" >&7
        it_end
        trap - EXIT
        exit 77
    fi
    [ $rc = 0 ] || fail "${2:-the browser test} failed (exit $rc)"
}

#  browser_console_up NODE URL: NODE's daemon started, its console at URL
#  answering
browser_console_up () {
    start_node "$1"
    consoles_answer "$2"
}

#  consoles_answer URL...: each console's login page answers (30 s at most
#  each: a daemon of the sanitizers' build checks its replica first, and
#  takes seconds to start on a loaded machine); fails the test otherwise
consoles_answer () {
    local url
    for url in "$@"; do
        wait_until "the console at $url answers" 30 curl -s -o /dev/null "$url/login"
    done
}

#  browser_web NAME=NODE...: each node's console on a port of its own,
#  WEB_NAME (alloc_port), written to the node's fugai.cfg
browser_web () {
    local pair name node
    for pair in "$@"; do
        name=WEB_${pair%%=*}
        node=${pair#*=}
        alloc_port "$name"
        printf 'web\n    listen = 127.0.0.1:%s\n' "${!name}" >> "$S/$node/fugai.cfg"
    done
}

#  browser_units P C T V: the prefecture's registry names the four units
#  (甘孜州, 甘孜县, 呷拉乡, 色西村); the names travel down with the sync
browser_units () {
    local code level=1
    for code in "$@"; do
        fugai "$1" --as office add org_unit id=$code org_id=$code \
            name_zh=$(echo 甘孜州 甘孜县 呷拉乡 色西村 | cut -d' ' -f$level) level=$level > /dev/null
        level=$((level + 1))
    done
}
