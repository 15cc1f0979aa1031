# web_lib.sh - what the console's benchmark scripts share (sourced by
# web_pages.sh, web_import.sh, web_oversight.sh; not run alone). The
# caller sets F (the fugai command) and S (its scratch directory).

#  web_pair PORT: a county in $S/C (its children connect on PORT+1) and its
#  township in $S/T, enrolled and trusting it, whose console listens on
#  127.0.0.1:PORT
web_pair () {
    local port=$1
    $F init $S/C --role county --org 513328 --name county --listen tcp://127.0.0.1:$((port + 1)) \
        --parent tcp://127.0.0.1:$((port + 2)) > /dev/null
    $F init $S/T --role township --org 513328100 --name township --parent tcp://127.0.0.1:$((port + 1)) > /dev/null
    $F -C $S/C enroll $S/T/keys/node.cert > /dev/null
    $F -C $S/T trust $S/C/keys/node.cert > /dev/null
    printf 'web\n    listen = 127.0.0.1:%s\n' $port >> $S/T/fugai.cfg
}

#  web_login URL: waits (10 s at most) for the console at URL, logs in as
#  bench (password bench-pass-1, made by the caller with fugai user add),
#  keeps the session in $S/jar and sets token to its cookie's value
web_login () {
    local url=$1 csrf i
    for i in $(seq 100); do curl -s -o /dev/null $url/login && break; sleep 0.1; done
    csrf=$(curl -s -c $S/jar -b $S/jar $url/login | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
    curl -s -o /dev/null -c $S/jar -b $S/jar --data-urlencode "csrf=$csrf" \
        -d 'name=bench&password=bench-pass-1' $url/login
    token=$(awk '$6 == "fg_session" { print $7 }' $S/jar)
}
