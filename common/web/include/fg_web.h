/*  fg_web.h - the web console of a node: an HTTP server (libmicrohttpd)
    run as an actor of the node's daemon, serving HTML pages rendered on
    the server for the node's operators (township clerks first; the
    oversight pages come later), in Chinese by default (?lang=en, kept in a
    cookie, for English). No JavaScript is needed, nothing is fetched from
    outside the node, and everything works with the parent unreachable.

    The actor opens its own connection to the node (fg_programme_open, with
    its keys: the console writes through fg_record_add, one signed entry
    per form, the account's name as the entry's author) and shares nothing
    with the daemon's other actors. libmicrohttpd runs without a thread of
    its own (MHD_USE_EPOLL): the actor polls its pipe and the server's
    epoll descriptor, so every request is served on the actor's thread.

        zactor_t *web = zactor_new (fg_web_actor, (void *) config->dir);
        ...
        zactor_destroy (&web);

    It listens on web/listen of fugai.cfg (fg_config.h: 127.0.0.1 and a
    port derived from the node id unless configured; "off" for none). A
    console that cannot start (the port taken, the node unreadable) logs
    why and waits for $TERM: the daemon's sync goes on without it.

    Accounts: fg_account.h (DIR/accounts.db). Sessions live in the actor's
    memory (a restart logs everyone out): a random 32-byte token in an
    HttpOnly, SameSite=Strict cookie, valid FG_WEB_SESSION_MS after login
    (a build with FUGAI_TEST_HOOKS takes FUGAI_WEB_SESSION_MS to shorten it);
    at most FG_WEB_SESSIONS_MAX (anonymous ones go first when full);
    a new token at every login (no session fixation). Every form carries
    the session's CSRF token, checked on every POST (the login form too:
    a visitor gets an anonymous session with its own token). Limits:
    FG_WEB_BODY_MAX bytes of form, FG_WEB_URL_MAX of address; static files
    are a fixed list compiled in, so no path reaches the file system.

    Pages (GET unless said):
        /login, POST /login, POST /logout
        /                     find a household (name or register number)
        /household/ID         a household, printable on A4
        /household/ID/visit   record a visit; POST writes it (?trigger_id=, ?kind=, ...
                              pre-select what the worklist's link names)
        /household/ID/assistance  record assistance for the household or a member
                              identified as vulnerable (?reverses_id=: a reversal,
                              filled in); POST writes it
        /household/ID/appeal  file an appeal; POST writes it
        /appeal/ID            an appeal, its events and the transitions allowed
                              from its state here; POST writes one (appeal_event)
        /publicity            publicity events of the node's units; POST records one
        /worklist             unpaired past the grace, directives to acknowledge,
                              must-visits waiting (due and overdue, each linking to
                              the visit form), proposals refused above and why;
                              POST /worklist/ack acknowledges one
        /operator             the daemon, its links, entries waiting, refused entries
        /oversight            the findings counted by state (VIOLATED apart from
                              PENDING_SYNC), coverage at a glance (this year, the
                              units one level down) and the reports of the registry
        /report/NAME          a report (?period=, ?org= inside the node's subtree):
                              its sections drawn by the rendering layer, tables and
                              inline SVG charts, as-of day and frontier
        /findings             the rules' findings (?state=violated|pending|all,
                              ?rule=, ?org=); at most 500 listed
        /org/CODE             the drill-down: coverage per unit one level below,
                              each linking down; a village lists its households,
                              each linking to /household/ID (/org: the node's own)
        /directives           directives and each target's acknowledgement; POST
                              issues one (reviewer or administrator, county or
                              prefecture), from a form made from the catalogue
        /plan                 the county's pairing plan: a dry run reviewed by
                              township and village; POST publishes it (reviewer or
                              administrator, confirmed, the reviewed plan's hash)
        /proposals            proposals held here (writes below to fields this tier
                              owns): pending ones by name, old -> new; POST accepts
                              or rejects one (reviewer or administrator, confirmed,
                              a reason to reject); decided ones apart
        /import               a CSV file (multipart upload or pasted) into a table:
                              a preview by name and every error at once; POST with
                              confirm=yes writes it as `fugai import` does (clerk or
                              administrator; at most FG_WEB_UPLOAD_MAX bytes)
        /static/console.css   the one stylesheet
*/
#ifndef FG_WEB_H_INCLUDED
#define FG_WEB_H_INCLUDED

#include "fg_common.h"

#define FG_WEB_SESSION_MS  (8 * 3600 * 1000)    //  a working day
#define FG_WEB_BODY_MAX    (64 * 1024)           //  a form's bytes
//  A file uploaded to /import (multipart/form-data, the only page that
//  takes one): a township's members, ~15,000 rows of ~80 bytes, sent again
//  in base64 with the confirmation, fits
#define FG_WEB_UPLOAD_MAX  (4 * 1024 * 1024)
#define FG_WEB_URL_MAX     2048
#define FG_WEB_SESSIONS_MAX 1024

//  The console's actor; args is the node directory (borrowed until the
//  actor signals ready).
void fg_web_actor (zsock_t *pipe, void *args);

#endif
