/*  fg_wake.h - wake a node's daemon the moment its replica changes.

    A write made by another process (fugai add, fugai import, a plan
    published, the web console) commits to the replica file; the daemon,
    asleep until something happens, would see it only at its next safety
    look (sync/poll_ms, 5 s). With this class the writer tells the daemon
    at once: the daemon binds a Unix datagram socket, the writer sends it
    one byte after each commit.

    The socket lives in Linux's abstract namespace (no file: nothing stale
    is left behind by a killed daemon, no path-length limit, nothing to
    clean up), named after the replica's real path:
        "\0fugai-wake-" + 32 hex digits of BLAKE2b-128 (realpath (replica))
    so that every process that opens one replica file, by whatever path,
    meets the same daemon, and two nodes on one machine never meet.

    Sending never blocks and never fails a write: a non-blocking sendto of
    one byte; no daemon (ECONNREFUSED), a daemon too busy to read (EAGAIN)
    or any other error is ignored, and the daemon's safety look still finds the
    change. Anyone on the machine may send to the socket; all a datagram
    can do is make the daemon look at its replica sooner.
*/
#ifndef FG_WAKE_H_INCLUDED
#define FG_WAKE_H_INCLUDED

#include "fg_common.h"
#include <sys/socket.h>
#include <sys/un.h>

typedef struct {
    struct sockaddr_un address;
    socklen_t          size;           //  0: no address (the path did not resolve)
} fg_wake_t;

//  The address of the daemon of the replica at path (which must exist).
//  0, or -1 if the path does not resolve (then fg_wake_send does nothing).
int  fg_wake_init (fg_wake_t *self, const char *replica_path);
//  Tell the daemon, if one listens. Never blocks; errors are ignored.
void fg_wake_send (const fg_wake_t *self);
//  The daemon: bind the socket; returns a non-blocking descriptor to poll
//  for input, or -1 with errno (EADDRINUSE: another process holds it, a
//  second daemon on this replica).
int  fg_wake_bind (const fg_wake_t *self);
//  The daemon: read every datagram waiting on fd; returns how many.
size_t fg_wake_drain (int fd);

#endif
