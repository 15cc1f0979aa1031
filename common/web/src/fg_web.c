/*  fg_web.c - the console's actor: libmicrohttpd driven from the actor's
    own poll loop, sessions, CSRF, form bodies, and the routing of a
    request to its page (fg_web.h).

    A request, step by step:
      1. the address: at most FG_WEB_URL_MAX bytes, valid UTF-8, no "..";
         the Host header an IPv4 literal or localhost (a page of another
         site cannot reach the console by a name it controls);
      2. a body (POST): application/x-www-form-urlencoded of at most
         FG_WEB_BODY_MAX bytes (a Content-Length above it is refused
         before a byte is read), fields decoded and valid UTF-8; at
         /import only, multipart/form-data of at most FG_WEB_UPLOAD_MAX
         (a file: fg_web_upload.c);
      3. the session from the fg_session cookie, if live; the language
         from ?lang= (kept in a cookie) or the fg_lang cookie;
      4. a POST without the session's CSRF token is refused (403), so is
         a page other than /login and /static/ without a logged-in
         session (a GET is sent to /login);
      5. the page renders into a memory stream, which becomes the answer
         with the headers every answer carries (CSP without scripts,
         nosniff, no-referrer, no-store).
*/
#include "fg_web_int.h"
#include "fg_programme.h"
#include "fg_account.h"
#include "fg_rules.h"
#include "fg_util.h"
#include <microhttpd.h>
#include <sodium.h>
#include <arpa/inet.h>

typedef struct {
    char  *body;
    size_t size;
    bool   too_large;
    fg_web_multipart_t *multipart;       //  a file upload (/import), or NULL
} s_upload_t;

static void
s_session_free (void **item_p)
{
    if (*item_p) {
        sodium_memzero (*item_p, sizeof (fg_web_session_t));
        free (*item_p);
        *item_p = NULL;
    }
}

static void
s_random_hex (char out [65])
{
    uint8_t bytes [32];
    randombytes_buf (bytes, sizeof bytes);
    sodium_bin2hex (out, 65, bytes, sizeof bytes);
}

//  How long a login lasts (a test build may shorten it: FUGAI_WEB_SESSION_MS)
static int64_t
s_session_ms (void)
{
#ifdef FUGAI_TEST_HOOKS
    const char *text = getenv ("FUGAI_WEB_SESSION_MS");
    if (text && atoll (text) > 0)
        return atoll (text);
#endif
    return FG_WEB_SESSION_MS;
}

//  Make room for a session: drop the expired ones; when still full, the
//  anonymous ones (a flood of login pages cannot log anyone out); when
//  still full, the one that expires first.
static void
s_sessions_trim (fg_web_t *self)
{
    int64_t now = fg_now_ms ();
    for (int pass = 0; pass < 2; pass++) {
        zlistx_t *keys = zhashx_keys (self->sessions);
        for (const char *key = (const char *) zlistx_first (keys); key; key = (const char *) zlistx_next (keys)) {
            fg_web_session_t *session = (fg_web_session_t *) zhashx_lookup (self->sessions, key);
            if (session->expires < now || (pass == 1 && !session->user [0]))
                zhashx_delete (self->sessions, key);
        }
        zlistx_destroy (&keys);
        if (zhashx_size (self->sessions) < FG_WEB_SESSIONS_MAX)
            return;
    }
    while (zhashx_size (self->sessions) >= FG_WEB_SESSIONS_MAX) {
        fg_web_session_t *first = NULL;
        for (fg_web_session_t *session = (fg_web_session_t *) zhashx_first (self->sessions); session;
             session = (fg_web_session_t *) zhashx_next (self->sessions))
            if (!first || session->expires < first->expires)
                first = session;
        zhashx_delete (self->sessions, first->token);
    }
}

static fg_web_session_t *
s_session_new (fg_web_t *self, const char *user, const char *role)
{
    s_sessions_trim (self);
    int64_t now = fg_now_ms ();
    fg_web_session_t *session = (fg_web_session_t *) zmalloc (sizeof (fg_web_session_t));
    assert (session);
    s_random_hex (session->token);
    s_random_hex (session->csrf);
    snprintf (session->user, sizeof session->user, "%s", user);
    snprintf (session->role, sizeof session->role, "%s", role);
    //  An anonymous session (the login form's) lasts an hour
    session->expires = now + (*user ? s_session_ms () : 3600 * 1000);
    zhashx_insert (self->sessions, session->token, session);
    return session;
}

static void
s_set_cookie (fg_web_req_t *req, char *cookie)
{
    for (size_t i = 0; i < sizeof req->cookies / sizeof req->cookies [0]; i++)
        if (!req->cookies [i]) {
            req->cookies [i] = cookie;
            return;
        }
    free (cookie);
}

static void
s_session_cookie (fg_web_req_t *req, const fg_web_session_t *session)
{
    if (session)
        s_set_cookie (req, fg_strdupf ("fg_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d",
                                       session->token, (int) ((session->expires - fg_now_ms ()) / 1000)));
    else
        s_set_cookie (req, strdup ("fg_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"));
}

//  Decode %XX and + of a urlencoded text in place; -1 if malformed.
static int
s_url_decode (char *text)
{
    char *out = text;
    for (char *in = text; *in; in++) {
        if (*in == '+')
            *out++ = ' ';
        else
        if (*in == '%') {
            if (!isxdigit ((unsigned char) in [1]) || !isxdigit ((unsigned char) in [2]))
                return -1;
            char hex [3] = { in [1], in [2], 0 };
            *out++ = (char) strtol (hex, NULL, 16);
            in += 2;
        }
        else
            *out++ = *in;
    }
    *out = 0;
    return 0;
}

//  Parse a urlencoded body into req->form; -1 on a malformed one.
static int
s_parse_form (fg_web_req_t *req, char *body)
{
    size_t fields = 0;
    for (char *pair = strtok (body, "&"); pair; pair = strtok (NULL, "&")) {
        if (++fields > 200)
            return -1;
        char *equals = strchr (pair, '=');
        if (equals)
            *equals = 0;
        char *value = equals ? equals + 1 : (char *) "";
        if (s_url_decode (pair) || s_url_decode (value)
        ||  !fg_utf8_valid ((const uint8_t *) pair, strlen (pair))
        ||  !fg_utf8_valid ((const uint8_t *) value, strlen (value)))
            return -1;
        //  A field given twice keeps its first value
        if (!zhashx_lookup (req->form, pair))
            zhashx_insert (req->form, pair, strdup (value));
    }
    return 0;
}

const char *
fg_web__field (fg_web_req_t *req, const char *name)
{
    if (req->post)
        return (const char *) zhashx_lookup (req->form, name);
    return MHD_lookup_connection_value (req->connection, MHD_GET_ARGUMENT_KIND, name);
}

bool
fg_web__may_write (fg_web_req_t *req)
{
    return req->session && (streq (req->session->role, "clerk") || streq (req->session->role, "admin"));
}

bool
fg_web__may_direct (fg_web_req_t *req)
{
    return req->session && (streq (req->session->role, "reviewer") || streq (req->session->role, "admin"));
}

int64_t
fg_web__today (void)
{
    return fg_now_ms () / 86400000;
}

//  True if the Host header names an IPv4 address or localhost.
static bool
s_host_ok (const char *host)
{
    if (!host)
        return true;                     //  HTTP/1.0 sends none
    char name [64];
    size_t length = strcspn (host, ":");
    if (length == 0 || length >= sizeof name)
        return false;
    memcpy (name, host, length);
    name [length] = 0;
    struct in_addr addr;
    return streq (name, "localhost") || inet_pton (AF_INET, name, &addr) == 1;
}

static void
s_page_login (fg_web_req_t *req, const char *name, bool failed)
{
    fg_web__head (req, fg_web__t (req, "login"));
    if (failed)
        fg_web__printf (req, "<p class=\"error\" role=\"alert\">%s</p>\n", fg_web__t (req, "login_failed"));
    fg_web__printf (req, "<form method=\"post\" action=\"/login\" class=\"login\">\n");
    fg_web__csrf (req);
    fg_web__printf (req, "<label>%s <input name=\"name\" autocomplete=\"username\" maxlength=\"64\" value=\"",
                    fg_web__t (req, "account"));
    fg_web__esc (req, name ? name : "");
    fg_web__printf (req, "\" autofocus></label>\n<label>%s <input type=\"password\" name=\"password\" "
                    "autocomplete=\"current-password\" maxlength=\"256\"></label>\n"
                    "<button type=\"submit\">%s</button>\n</form>\n",
                    fg_web__t (req, "password"), fg_web__t (req, "login"));
    fg_web__foot (req);
}

static void
s_login (fg_web_req_t *req)
{
    if (!req->post) {
        if (!req->session) {
            req->session = s_session_new (req->web, "", "");
            s_session_cookie (req, req->session);
        }
        s_page_login (req, NULL, false);
        return;
    }
    const char *name = fg_web__field (req, "name");
    const char *password = fg_web__field (req, "password");
    char role [16];
    if (!name || !password || strlen (name) > FG_ACCOUNT_NAME_MAX
    ||  fg_account_check (req->web->dir, name, password, role, sizeof role)) {
        zsys_info ("web: login refused for '%.64s'", name ? name : "");
        req->status = 401;
        s_page_login (req, name, true);
        return;
    }
    //  A new session (and token) at every login: a token planted before it is worthless
    zhashx_delete (req->web->sessions, req->session->token);
    req->session = s_session_new (req->web, name, role);
    s_session_cookie (req, req->session);
    zsys_info ("web: %s logged in (%s)", name, role);
    req->status = 303;
    req->location = strdup ("/");
}

static void
s_route (fg_web_req_t *req)
{
    const char *url = req->url;
    if (streq (url, "/login")) {
        s_login (req);
        return;
    }
    if (!req->session || !req->session->user [0]) {
        if (req->post)
            fg_web__fail (req, 403, "未登录或登录已过期：请重新登录。",
                          "not logged in, or the session expired: log in again.");
        else {
            req->status = 303;
            req->location = strdup ("/login");
        }
        return;
    }
    uint64_t id = 0;
    int used = 0;
    if (streq (url, "/logout") && req->post) {
        zsys_info ("web: %s logged out", req->session->user);
        zhashx_delete (req->web->sessions, req->session->token);
        req->session = NULL;
        s_session_cookie (req, NULL);
        req->status = 303;
        req->location = strdup ("/login");
    }
    else
    if (streq (url, "/") && !req->post)
        fg_web__page_home (req);
    else
    if (streq (url, "/worklist") && !req->post)
        fg_web__page_worklist (req);
    else
    if (streq (url, "/worklist/ack") && req->post)
        fg_web__page_ack (req);
    else
    if (streq (url, "/operator") && !req->post)
        fg_web__page_operator (req);
    else
    if (streq (url, "/oversight") && !req->post)
        fg_web__page_oversight (req);
    else
    if (strncmp (url, "/report/", 8) == 0 && !req->post)
        fg_web__page_report (req, url + 8);
    else
    if (streq (url, "/findings") && !req->post)
        fg_web__page_findings (req);
    else
    if ((streq (url, "/org") || streq (url, "/org/")) && !req->post)
        fg_web__page_org (req, NULL);
    else
    if (strncmp (url, "/org/", 5) == 0 && !req->post)
        fg_web__page_org (req, url + 5);
    else
    if (streq (url, "/directives"))
        fg_web__page_directives (req);
    else
    if (streq (url, "/plan"))
        fg_web__page_plan (req);
    else
    if (streq (url, "/proposals"))
        fg_web__page_proposals (req);
    else
    if (streq (url, "/import"))
        fg_web__page_import (req);
    else
    if (sscanf (url, "/household/%" SCNu64 "%n", &id, &used) == 1 && url [used] == 0 && !req->post)
        fg_web__page_household (req, id);
    else
    if (sscanf (url, "/household/%" SCNu64 "/visit%n", &id, &used) == 1 && url [used] == 0)
        fg_web__page_visit (req, id);
    else
    if (sscanf (url, "/household/%" SCNu64 "/assistance%n", &id, &used) == 1 && url [used] == 0)
        fg_web__page_assistance (req, id);
    else
    if (sscanf (url, "/household/%" SCNu64 "/appeal%n", &id, &used) == 1 && url [used] == 0)
        fg_web__page_appeal_new (req, id);
    else
    if (sscanf (url, "/appeal/%" SCNu64 "%n", &id, &used) == 1 && url [used] == 0)
        fg_web__page_appeal (req, id);
    else
    if (streq (url, "/publicity"))
        fg_web__page_publicity (req);
    else
        fg_web__fail (req, 404, "没有这个页面。", "no such page.");
}

//  Answer a request whose body (if any) has arrived.
static enum MHD_Result
s_answer (fg_web_t *self, struct MHD_Connection *connection, const char *url, const char *method,
          s_upload_t *upload)
{
    fg_web_req_t request = { .web = self, .connection = connection, .method = method, .url = url,
                             .status = 200, .content_type = "text/html; charset=utf-8" };
    fg_web_req_t *req = &request;
    req->post = streq (method, "POST");
    req->form = zhashx_new ();
    zhashx_set_destructor (req->form, (zhashx_destructor_fn *) zstr_free);
    req->out = open_memstream (&req->body, &req->size);
    assert (req->out);

    const char *lang = MHD_lookup_connection_value (connection, MHD_GET_ARGUMENT_KIND, "lang");
    if (lang && (streq (lang, "en") || streq (lang, "zh"))) {
        req->en = streq (lang, "en");
        s_set_cookie (req, fg_strdupf ("fg_lang=%s; Path=/; SameSite=Strict; Max-Age=31536000", lang));
    }
    else {
        const char *cookie = MHD_lookup_connection_value (connection, MHD_COOKIE_KIND, "fg_lang");
        req->en = cookie && streq (cookie, "en");
    }
    const char *token = MHD_lookup_connection_value (connection, MHD_COOKIE_KIND, "fg_session");
    if (token && strlen (token) == 64) {
        fg_web_session_t *session = (fg_web_session_t *) zhashx_lookup (self->sessions, token);
        if (session && session->expires > fg_now_ms ())
            req->session = session;
        else
        if (session)
            zhashx_delete (self->sessions, token);
    }
    const char *type = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, "Content-Type");
    const char *host = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, "Host");
    if (strlen (url) > FG_WEB_URL_MAX)
        fg_web__fail (req, 414, "地址太长。", "the address is too long.");
    else
    if (!fg_utf8_valid ((const uint8_t *) url, strlen (url))
    ||  strstr (url, "..") || strchr (url, '\\'))
        fg_web__fail (req, 400, "地址不合法。", "the address is not valid.");
    else
    if (!s_host_ok (host))
        fg_web__fail (req, 421, "主机名不对：请用地址（如 127.0.0.1）打开控制台。",
                      "wrong Host: open the console by its address (127.0.0.1).");
    else
    if (strncmp (url, "/static/", 8) == 0) {
        if (streq (url, "/static/console.css") && !req->post) {
            fputs (fg_web__css, req->out);
            req->content_type = "text/css; charset=utf-8";
        }
        else
            fg_web__fail (req, 404, "没有这个文件。", "no such file.");
    }
    else
    if (!req->post && !streq (method, "GET") && !streq (method, "HEAD"))
        fg_web__fail (req, 405, "不支持这种请求。", "method not allowed.");
    else
    if (upload && upload->too_large)
        fg_web__fail (req, 413, "提交的内容太大。", "the form is too large.");
    else
    if (req->post && upload && upload->multipart && fg_web__multipart_form (upload->multipart, req))
        fg_web__fail (req, 400, "上传的表单不合法（编码错误或部分太多）。",
                      "the uploaded form is malformed (bad encoding or too many parts).");
    else
    if (req->post && !(upload && upload->multipart)
    &&  (!type || strncmp (type, "application/x-www-form-urlencoded", 33) != 0))
        fg_web__fail (req, 415, "表单编码不对。", "the form must be application/x-www-form-urlencoded.");
    else
    if (req->post && upload && upload->body && s_parse_form (req, upload->body))
        fg_web__fail (req, 400, "表单内容不合法（编码错误或字段太多）。",
                      "the form is malformed (bad encoding or too many fields).");
    else
    if (req->post && (!req->session || !fg_web__field (req, "csrf")
                  ||  strlen (fg_web__field (req, "csrf")) != 64
                  ||  sodium_memcmp (fg_web__field (req, "csrf"), req->session->csrf, 64) != 0))
        fg_web__fail (req, 403, "表单已过期或来源不明（缺少校验码）：请重新打开页面再提交。",
                      "the form's CSRF token is missing or wrong: reload the page and submit again.");
    else
    if (!self->open)
        fg_web__fail (req, 503, "本节点的数据库打不开：请看守护进程的日志。",
                      "the node's replica cannot be opened: see the daemon's log.");
    else
        s_route (req);

    fclose (req->out);
    struct MHD_Response *response = MHD_create_response_from_buffer (req->size, req->body,
                                                                      MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header (response, "Content-Type", req->content_type);
    MHD_add_response_header (response, "Content-Security-Policy",
                             "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                             "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    MHD_add_response_header (response, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header (response, "Referrer-Policy", "no-referrer");
    MHD_add_response_header (response, "X-Frame-Options", "DENY");
    MHD_add_response_header (response, "Cache-Control", "no-store");
    if (req->location)
        MHD_add_response_header (response, "Location", req->location);
    for (size_t i = 0; i < sizeof req->cookies / sizeof req->cookies [0]; i++)
        if (req->cookies [i]) {
            MHD_add_response_header (response, "Set-Cookie", req->cookies [i]);
            free (req->cookies [i]);
        }
    enum MHD_Result rc = MHD_queue_response (connection, req->status, response);
    MHD_destroy_response (response);
    free (req->location);
    zhashx_destroy (&req->form);
    self->served++;
    return rc;
}

static enum MHD_Result
s_refuse_now (struct MHD_Connection *connection, unsigned status, const char *text)
{
    struct MHD_Response *response = MHD_create_response_from_buffer (strlen (text), (void *) text,
                                                                      MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header (response, "Content-Type", "text/plain; charset=utf-8");
    MHD_add_response_header (response, "Connection", "close");
    enum MHD_Result rc = MHD_queue_response (connection, status, response);
    MHD_destroy_response (response);
    return rc;
}

static enum MHD_Result
s_handler (void *cls, struct MHD_Connection *connection, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    fg_web_t *self = (fg_web_t *) cls;
    s_upload_t *upload = (s_upload_t *) *con_cls;
    if (!upload) {
        upload = (s_upload_t *) zmalloc (sizeof (s_upload_t));
        assert (upload);
        *con_cls = upload;
        const char *length = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, "Content-Length");
        const char *type = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, "Content-Type");
        if (streq (method, "POST") && streq (url, "/import") && type
        &&  strncasecmp (type, "multipart/form-data", 19) == 0)
            upload->multipart = fg_web__multipart_new (connection);
        if (length && strtoull (length, NULL, 10) > (upload->multipart ? FG_WEB_UPLOAD_MAX : FG_WEB_BODY_MAX))
            //  Refused before a byte of the body is read
            return s_refuse_now (connection, 413, "413 表单太大 / the form is too large\n");
        return MHD_YES;
    }
    if (*upload_data_size && upload->multipart) {
        //  A file: parsed as it arrives, up to its own bound
        if (!upload->too_large && upload->size + *upload_data_size <= FG_WEB_UPLOAD_MAX)
            fg_web__multipart_feed (upload->multipart, upload_data, *upload_data_size);
        else
            upload->too_large = true;
        upload->size += *upload_data_size;
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!upload->too_large && upload->size + *upload_data_size <= FG_WEB_BODY_MAX) {
            upload->body = (char *) realloc (upload->body, upload->size + *upload_data_size + 1);
            assert (upload->body);
            memcpy (upload->body + upload->size, upload_data, *upload_data_size);
            upload->size += *upload_data_size;
            upload->body [upload->size] = 0;
        }
        else {
            //  A chunked body past the limit: the rest is read and dropped
            upload->too_large = true;
            free (upload->body);
            upload->body = NULL;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    return s_answer (self, connection, url, method, upload);
}

static void
s_completed (void *cls, struct MHD_Connection *connection, void **con_cls,
             enum MHD_RequestTerminationCode code)
{
    s_upload_t *upload = (s_upload_t *) *con_cls;
    if (upload) {
        fg_web__multipart_destroy (&upload->multipart);
        free (upload->body);
        free (upload);
        *con_cls = NULL;
    }
}

//  Start the server on web/listen; NULL (logged) if it cannot.
static struct MHD_Daemon *
s_start (fg_web_t *self)
{
    const char *listen = self->site.config->web_listen;
    char host [64];
    const char *colon = strrchr (listen, ':');
    snprintf (host, sizeof host, "%.*s", (int) (colon - listen), listen);
    struct sockaddr_in addr;
    memset (&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons ((uint16_t) atoi (colon + 1));
    if (inet_pton (AF_INET, host, &addr.sin_addr) != 1)
        return NULL;
    struct MHD_Daemon *daemon = MHD_start_daemon (
        MHD_USE_EPOLL | MHD_USE_ERROR_LOG, ntohs (addr.sin_port), NULL, NULL, s_handler, self,
        MHD_OPTION_SOCK_ADDR, &addr,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int) 64,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int) 32,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int) 30,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t) (128 * 1024),
        MHD_OPTION_NOTIFY_COMPLETED, s_completed, self,
        MHD_OPTION_END);
    if (!daemon)
        zsys_error ("web console: cannot listen on %s (%s): is the port taken? Set web/listen in %s "
                    "(or off); the node syncs without its console", listen, strerror (errno),
                    self->site.config->path);
    else
        zsys_info ("web console on http://%s/", listen);
    return daemon;
}

void
fg_web_actor (zsock_t *pipe, void *args)
{
    fg_web_t self;
    memset (&self, 0, sizeof self);
    self.dir = strdup ((const char *) args);
    self.sessions = zhashx_new ();
    zhashx_set_destructor (self.sessions, s_session_free);
    char err [512];
    //  A console that is off opens nothing (a connection to the replica
    //  holds the schema and a page cache: about 1 MB resident)
    fg_config_t *config = fg_config_load (self.dir, err, sizeof err);
    bool off = config && streq (config->web_listen, "off");
    fg_config_destroy (&config);
    if (off)
        zsys_info ("web console off (web/listen = off)");
    else
    if (sodium_init () < 0)
        zsys_error ("web console: libsodium cannot start");
    else
    if (fg_programme_open (&self.site, self.dir, FG_SITE_KEYS | FG_SITE_DAEMON, err, sizeof err))
        zsys_error ("web console: %s", err);
    else
        self.open = true;
    struct MHD_Daemon *daemon = self.open ? s_start (&self) : NULL;
    zsock_signal (pipe, 0);

    int epoll_fd = -1;
    if (daemon) {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info (daemon, MHD_DAEMON_INFO_EPOLL_FD);
        epoll_fd = info ? info->epoll_fd : -1;
    }
    zmq_pollitem_t items [2] = {
        { zsock_resolve (pipe), 0, ZMQ_POLLIN, 0 },
        { NULL, epoll_fd, ZMQ_POLLIN, 0 }
    };
    while (true) {
        //  Asleep until a request, a command or a connection's timeout
        //  (libmicrohttpd says when one is due; none: none open)
        long timeout = -1;
        MHD_UNSIGNED_LONG_LONG mhd_timeout = 0;
        if (daemon && MHD_get_timeout (daemon, &mhd_timeout) == MHD_YES)
            timeout = mhd_timeout < 3600 * 1000 ? (long) mhd_timeout : 3600 * 1000;
        int rc = zmq_poll (items, epoll_fd >= 0 ? 2 : 1, timeout);
        if (rc == -1 && errno == EINTR && !zsys_interrupted)
            continue;
        if (rc == -1)
            break;                       //  interrupted, or the context ended
        if (items [0].revents & ZMQ_POLLIN) {
            char *command = zstr_recv (pipe);
            bool term = !command || streq (command, "$TERM");
            zstr_free (&command);
            if (term)
                break;
        }
        if (daemon)
            MHD_run (daemon);
    }
    if (daemon)
        MHD_stop_daemon (daemon);
    zsys_info ("web console stopped after %llu requests", (unsigned long long) self.served);
    zhashx_destroy (&self.sessions);
    fg_findings_destroy (&self.findings);
    fg_site_close (&self.site);
    free (self.dir);
}
