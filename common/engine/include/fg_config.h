/*  fg_config.h - a node's directory and its configuration file.

    A node directory holds:
        fugai.cfg        this configuration (ZPL, read with zconfig)
        data.db          the replica (SQLite, WAL)
        keys/            node.cert, node.cert_secret (0600), sign.secret (0600)
        certs/           hubs: public certificates of enrolled children
                         (the CURVE allow-list zauth reads)
        parent.cert      children: the pinned certificate of the parent
        daemon.lock      the running daemon's lock (flock) and pid (fg_site_lock)

    fugai.cfg (every key outside the node section has a default; a key not
    listed here is warned about at load, with the nearest known key):

        node
            id = 28100                 node id (1..65535)
            role = township            township | county | prefecture
            org = 513328100            statistical division code
            name = "Township 100"
        listen                          hubs only
            endpoint = tcp://127.0.0.1:7128
        parent                          townships and counties
            endpoint = tcp://127.0.0.1:7001
        sync
            heartbeat_ms = 5000         PING / ZMTP heartbeat interval
            timeout_ms = 30000          silence after which a link is dead
                                        (slow links: 15 s or more)
            poll_ms = 5000              how often the daemon looks at its replica
                                        for writes it was not told of (a safety
                                        net: fugai's, the console's and its own
                                        actors' writes wake it at once, fg_wake.h;
                                        it sleeps until a message, a write or a
                                        timer of its own: a ping, a status)
            batch_bytes = 262144        entries per batch, bytes before compression
            credit = 4                  batches in flight per stream
            compress = 1                zstd batch bodies
            max_clock_ahead_ms = 600000 skew bound (fg_hlc)
            silence_hours = 24          a node that wrote nothing for this
                                        long writes a heartbeat entry (0:
                                        never; fg_replica_heartbeat)
        log
            syslog = 0                  1: log to syslog as well (systemd)
            verbose = 0
        memory                          what the daemon keeps resident
            cache_kb = 0                SQLite's page cache per connection of
                                        the daemon, KiB (it has one for the
                                        sync and one for the console); 0: by
                                        role, township 512, hubs 2048 (a hub
                                        with a slow disk may want more)
            arenas = 0                  glibc malloc arenas (M_ARENA_MAX); 0:
                                        by role, township 1 (its threads
                                        rarely allocate at once; each arena
                                        keeps its own freed memory), hubs
                                        glibc's default (8 per core)
        web
            listen = 127.0.0.1:8128     the web console (common/web): IPV4:PORT,
                                        or off; default 127.0.0.1 and port
                                        8000 + id % 24000 (the office LAN:
                                        its address, e.g. 192.168.1.10:8080)
*/
#ifndef FG_CONFIG_H_INCLUDED
#define FG_CONFIG_H_INCLUDED

#include "fg_common.h"
#include "fg_keys.h"

typedef struct {
    char     *dir;               //  node directory (absolute)
    char     *path;              //  DIR/fugai.cfg
    fg_node_t node;              //  id, tier, org, name (keys not filled)
    char     *data;              //  DIR/data.db
    char     *keys;              //  DIR/keys
    char     *certs;             //  DIR/certs
    char     *parent_cert;       //  DIR/parent.cert
    char     *listen;            //  endpoint, or NULL
    char     *parent;            //  endpoint, or NULL
    int       heartbeat_ms;
    int       timeout_ms;
    int       poll_ms;
    size_t    batch_bytes;
    int       credit;
    bool      compress;
    int64_t   max_clock_ahead_ms;
    int64_t   silence_ms;        //  sync/silence_hours, in ms (0: no heartbeat)
    bool      syslog;
    bool      verbose;
    char     *web_listen;        //  web/listen: "IPV4:PORT" or "off"
    int       cache_kb;          //  memory/cache_kb, the role's default when 0
    int       arenas;            //  memory/arenas, the role's default when 0 (0: glibc's)
} fg_config_t;

#define FG_CONFIG_TOWNSHIP_CACHE_KB  512
#define FG_CONFIG_HUB_CACHE_KB       2048

#define FG_CONFIG_WEB_PORT_BASE  8000
#define FG_CONFIG_WEB_PORT_SPAN  24000

//  Load DIR/fugai.cfg. NULL with the reason in errbuf if the file is
//  missing, a required key is absent or a value is out of range.
fg_config_t *fg_config_load (const char *dir, char *errbuf, size_t errsize);
void         fg_config_destroy (fg_config_t **self_p);
//  Write a new DIR/fugai.cfg for a node (listen and parent may be NULL).
int          fg_config_write (const char *dir, const fg_node_t *node, const char *listen,
                              const char *parent) FG_WARN_UNUSED;

//  The web console's address for people ("http://127.0.0.1:8128/"; a
//  console on 0.0.0.0 is given as 127.0.0.1), or NULL when it is off.
//  Caller frees.
char        *fg_config_console_url (const fg_config_t *self);

#endif
