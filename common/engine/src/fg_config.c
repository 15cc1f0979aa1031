/*  fg_config.c - node configuration (format in fg_config.h). */
#include "fg_config.h"
#include "fg_util.h"
#include "fg_org.h"
#include "fg_hlc.h"
#include <arpa/inet.h>

//  The numeric keys, with their defaults (fg_config_write writes these,
//  fg_config_load takes them when a key is absent) and their ranges.
typedef struct {
    const char *path;
    int64_t     fallback, min, max;
} s_key_t;

enum {
    S_HEARTBEAT_MS, S_TIMEOUT_MS, S_POLL_MS, S_BATCH_BYTES, S_CREDIT, S_COMPRESS,
    S_MAX_CLOCK_AHEAD_MS, S_SILENCE_HOURS, S_SYSLOG, S_VERBOSE, S_CACHE_KB, S_ARENAS, S_KEYS
};
static const s_key_t s_keys [S_KEYS] = {
    [S_HEARTBEAT_MS]       = { "sync/heartbeat_ms", 5000, 100, 600000 },
    [S_TIMEOUT_MS]         = { "sync/timeout_ms", 30000, 500, 3600000 },
    [S_POLL_MS]            = { "sync/poll_ms", 5000, 10, 60000 },
    [S_BATCH_BYTES]        = { "sync/batch_bytes", 256 * 1024, 1024, 4 * 1024 * 1024 },
    [S_CREDIT]             = { "sync/credit", 4, 1, 64 },
    [S_COMPRESS]           = { "sync/compress", 1, 0, 1 },
    [S_MAX_CLOCK_AHEAD_MS] = { "sync/max_clock_ahead_ms", FG_HLC_DEFAULT_MAX_AHEAD_MS, 1000,
                               INT64_C (365) * 86400000 },
    [S_SILENCE_HOURS]      = { "sync/silence_hours", 24, 0, 8760 },
    [S_SYSLOG]             = { "log/syslog", 0, 0, 1 },
    [S_VERBOSE]            = { "log/verbose", 0, 0, 1 },
    //  0: by role (fg_config.h)
    [S_CACHE_KB]           = { "memory/cache_kb", 0, 0, 1024 * 1024 },
    [S_ARENAS]             = { "memory/arenas", 0, 0, 64 }
};

//  The text keys: web/listen, the web console's address (HOST:PORT, an
//  IPv4 literal, or "off"). Its default is 127.0.0.1 and a port derived
//  from the node id, so that the nodes of a tree run on one machine (the
//  demo, the tests) do not share one: FG_CONFIG_WEB_PORT_BASE + id %
//  FG_CONFIG_WEB_PORT_SPAN, below Linux's ephemeral range.
#define S_WEB_LISTEN "web/listen"

static char *
s_web_listen (zconfig_t *root, uint16_t node_id, const char *path, char *errbuf, size_t errsize)
{
    const char *text = zconfig_get (root, S_WEB_LISTEN, NULL);
    if (!text || !*text)
        return fg_strdupf ("127.0.0.1:%u", FG_CONFIG_WEB_PORT_BASE + node_id % FG_CONFIG_WEB_PORT_SPAN);
    if (streq (text, "off"))
        return strdup (text);
    char host [64];
    unsigned port = 0;
    struct in_addr addr;
    const char *colon = strrchr (text, ':');
    if (colon && (size_t) (colon - text) < sizeof host) {
        memcpy (host, text, (size_t) (colon - text));
        host [colon - text] = 0;
        char *end = NULL;
        unsigned long value = strtoul (colon + 1, &end, 10);
        if (colon [1] && !*end && value > 0 && value < 65536 && inet_pton (AF_INET, host, &addr) == 1)
            port = (unsigned) value;
    }
    if (!port) {
        snprintf (errbuf, errsize, "%s: %s = '%s' must be IPV4:PORT (127.0.0.1:8080, the office LAN "
                  "address) or off", path, S_WEB_LISTEN, text);
        return NULL;
    }
    return strdup (text);
}

//  The keys that are not numbers: with s_keys, every key fugai.cfg may hold
static const char *s_text_keys [] = {
    "node/id", "node/role", "node/org", "node/name", "listen/endpoint", "parent/endpoint", "web/listen",
    NULL
};

//  Warn (zsys_warning) about every key of the file that fugai does not read,
//  with the nearest known key: a misspelt key would otherwise be ignored
//  and its default taken without a word.
static void
s_warn_unknown (zconfig_t *root, const char *path)
{
    const char *known [S_KEYS + 8];
    size_t count = 0;
    for (size_t i = 0; s_text_keys [i]; i++)
        known [count++] = s_text_keys [i];
    for (size_t i = 0; i < S_KEYS; i++)
        known [count++] = s_keys [i].path;
    for (zconfig_t *section = zconfig_child (root); section; section = zconfig_next (section)) {
        const char *name = zconfig_name (section);
        zconfig_t *key = zconfig_child (section);
        if (!key) {
            //  A key outside any section (or an empty section)
            char full [128];
            snprintf (full, sizeof full, "%s", name);
            bool section_known = false;
            for (size_t i = 0; i < count; i++)
                if (strncmp (known [i], full, strlen (full)) == 0 && known [i][strlen (full)] == '/')
                    section_known = true;
            if (!section_known) {
                const char *guess = fg_suggest (full, known, count);
                zsys_warning ("%s: unknown key '%s' is ignored%s%s%s", path, full,
                              guess ? "; did you mean '" : "", guess ? guess : "", guess ? "'?" : "");
            }
            continue;
        }
        for (; key; key = zconfig_next (key)) {
            char full [128];
            snprintf (full, sizeof full, "%s/%s", name, zconfig_name (key));
            bool found = false;
            for (size_t i = 0; i < count && !found; i++)
                found = streq (known [i], full);
            if (found)
                continue;
            const char *guess = fg_suggest (full, known, count);
            zsys_warning ("%s: unknown key '%s' is ignored (its default is used)%s%s%s", path, full,
                          guess ? "; did you mean '" : "", guess ? guess : "", guess ? "'?" : "");
        }
    }
}

static int
s_int (zconfig_t *root, const char *path, int64_t fallback, int64_t min, int64_t max,
       int64_t *out, char *errbuf, size_t errsize)
{
    const char *text = zconfig_get (root, path, NULL);
    if (!text || !*text) {
        *out = fallback;
        return 0;
    }
    char *end = NULL;
    long long value = strtoll (text, &end, 10);
    if (*end || value < min || value > max) {
        snprintf (errbuf, errsize, "%s = '%s' must be a number from %lld to %lld",
                  path, text, (long long) min, (long long) max);
        return -1;
    }
    *out = value;
    return 0;
}

static char *
s_absolute (const char *dir)
{
    if (dir [0] == '/')
        return strdup (dir);
    char cwd [4096];
    if (!getcwd (cwd, sizeof cwd))
        return strdup (dir);
    return fg_strdupf ("%s/%s", cwd, dir);
}

//  The file parsed, or NULL. Read here and parsed from memory: CZMQ's
//  zconfig_load leaks its file handle when the text does not parse
//  (found by tests/fuzz/fuzz_config.c).
static zconfig_t *
s_load (const char *path)
{
    size_t size;
    char *text = zsys_file_exists (path) ? (char *) fg_file_read (path, &size) : NULL;
    if (!text)
        return NULL;
    zconfig_t *root = zconfig_str_load (text);     //  (fg_file_read ends it with a NUL)
    free (text);
    return root;
}

fg_config_t *
fg_config_load (const char *dir, char *errbuf, size_t errsize)
{
    fg_config_t *self = (fg_config_t *) zmalloc (sizeof (fg_config_t));
    assert (self);
    self->dir = s_absolute (dir);
    self->path = fg_strdupf ("%s/fugai.cfg", self->dir);
    zconfig_t *root = s_load (self->path);
    int rc = 0;
    if (!root) {
        snprintf (errbuf, errsize, "%s: no readable configuration (run fugai init %s first)",
                  self->path, dir);
        rc = -1;
    }
    if (rc == 0)
        s_warn_unknown (root, self->path);
    int64_t value = 0;
    if (rc == 0)
        rc = s_int (root, "node/id", 0, 1, 65535, &value, errbuf, errsize);
    if (rc == 0) {
        self->node.node_id = (uint16_t) value;
        if (!value) {
            snprintf (errbuf, errsize, "%s: node/id is missing", self->path);
            rc = -1;
        }
    }
    if (rc == 0) {
        self->node.tier = fg_tier_from_name (zconfig_get (root, "node/role", ""));
        const char *org = zconfig_get (root, "node/org", "");
        if (self->node.tier == FG_TIER_NONE) {
            snprintf (errbuf, errsize, "%s: node/role must be township, county or prefecture", self->path);
            rc = -1;
        }
        else
        if (fg_org_tier (org) != self->node.tier) {
            snprintf (errbuf, errsize, "%s: node/org '%s' is not a %s code", self->path, org,
                      fg_tier_name (self->node.tier));
            rc = -1;
        }
        else
            snprintf (self->node.org, sizeof self->node.org, "%s", org);
        snprintf (self->node.name, sizeof self->node.name, "%s", zconfig_get (root, "node/name", ""));
    }
    if (rc == 0) {
        const char *listen = zconfig_get (root, "listen/endpoint", NULL);
        const char *parent = zconfig_get (root, "parent/endpoint", NULL);
        self->listen = listen && *listen ? strdup (listen) : NULL;
        self->parent = parent && *parent ? strdup (parent) : NULL;
        if (self->node.tier == FG_TIER_TOWNSHIP && self->listen) {
            snprintf (errbuf, errsize, "%s: a township has no children: remove listen/endpoint", self->path);
            rc = -1;
        }
        if (self->node.tier == FG_TIER_PREFECTURE && self->parent) {
            snprintf (errbuf, errsize, "%s: the prefecture has no parent: remove parent/endpoint", self->path);
            rc = -1;
        }
    }
    int64_t values [S_KEYS];
    for (size_t i = 0; rc == 0 && i < S_KEYS; i++)
        rc = s_int (root, s_keys [i].path, s_keys [i].fallback, s_keys [i].min, s_keys [i].max,
                    &values [i], errbuf, errsize);
    if (rc == 0) {
        self->heartbeat_ms = (int) values [S_HEARTBEAT_MS];
        self->timeout_ms = (int) values [S_TIMEOUT_MS];
        self->poll_ms = (int) values [S_POLL_MS];
        self->batch_bytes = (size_t) values [S_BATCH_BYTES];
        self->credit = (int) values [S_CREDIT];
        self->compress = values [S_COMPRESS] != 0;
        self->max_clock_ahead_ms = values [S_MAX_CLOCK_AHEAD_MS];
        self->silence_ms = values [S_SILENCE_HOURS] * 3600 * 1000;
        self->syslog = values [S_SYSLOG] != 0;
        self->verbose = values [S_VERBOSE] != 0;
        bool township = self->node.tier == FG_TIER_TOWNSHIP;
        self->cache_kb = values [S_CACHE_KB] ? (int) values [S_CACHE_KB]
                       : township ? FG_CONFIG_TOWNSHIP_CACHE_KB : FG_CONFIG_HUB_CACHE_KB;
        self->arenas = values [S_ARENAS] ? (int) values [S_ARENAS] : township ? 1 : 0;
        self->web_listen = s_web_listen (root, self->node.node_id, self->path, errbuf, errsize);
        if (!self->web_listen)
            rc = -1;
    }
    self->data = fg_strdupf ("%s/data.db", self->dir);
    self->keys = fg_strdupf ("%s/keys", self->dir);
    self->certs = fg_strdupf ("%s/certs", self->dir);
    self->parent_cert = fg_strdupf ("%s/parent.cert", self->dir);
    zconfig_destroy (&root);
    if (rc)
        fg_config_destroy (&self);
    return self;
}

void
fg_config_destroy (fg_config_t **self_p)
{
    assert (self_p);
    fg_config_t *self = *self_p;
    if (self) {
        free (self->dir);
        free (self->path);
        free (self->data);
        free (self->keys);
        free (self->certs);
        free (self->parent_cert);
        free (self->listen);
        free (self->parent);
        free (self->web_listen);
        free (self);
        *self_p = NULL;
    }
}

int
fg_config_write (const char *dir, const fg_node_t *node, const char *listen, const char *parent)
{
    zconfig_t *root = zconfig_new ("root", NULL);
    zconfig_set_comment (root, " fugai node configuration (ZPL). See fg_config.h for every key.");
    zconfig_putf (root, "node/id", "%u", node->node_id);
    zconfig_put (root, "node/role", fg_tier_name (node->tier));
    zconfig_put (root, "node/org", node->org);
    zconfig_put (root, "node/name", node->name);
    if (listen)
        zconfig_put (root, "listen/endpoint", listen);
    if (parent)
        zconfig_put (root, "parent/endpoint", parent);
    for (size_t i = 0; i < S_KEYS; i++)
        zconfig_putf (root, s_keys [i].path, "%lld", (long long) s_keys [i].fallback);
    char *path = fg_strdupf ("%s/fugai.cfg", dir);
    int rc = zconfig_save (root, path);
    free (path);
    zconfig_destroy (&root);
    return rc;
}

char *
fg_config_console_url (const fg_config_t *self)
{
    assert (self);
    if (!self->web_listen || streq (self->web_listen, "off"))
        return NULL;
    if (strncmp (self->web_listen, "0.0.0.0:", 8) == 0)
        return fg_strdupf ("http://127.0.0.1:%s/", self->web_listen + 8);
    return fg_strdupf ("http://%s/", self->web_listen);
}
