/*  fg_wake.c - wake a node's daemon the moment its replica changes (see
    fg_wake.h). */
#include "fg_wake.h"
#include "fg_util.h"
#include <limits.h>

#define S_PREFIX "fugai-wake-"

int
fg_wake_init (fg_wake_t *self, const char *replica_path)
{
    memset (self, 0, sizeof *self);
    char *real = realpath (replica_path, NULL);
    if (!real)
        return -1;
    uint8_t digest [16];
    crypto_generichash (digest, sizeof digest, (const uint8_t *) real, strlen (real), NULL, 0);
    free (real);
    self->address.sun_family = AF_UNIX;
    //  Abstract namespace: sun_path starts with a zero byte; the name is
    //  the bytes after it, exactly as many as the size says
    char *name = self->address.sun_path + 1;
    size_t used = (size_t) snprintf (name, sizeof self->address.sun_path - 1, "%s", S_PREFIX);
    for (size_t i = 0; i < sizeof digest; i++)
        used += (size_t) snprintf (name + used, sizeof self->address.sun_path - 1 - used, "%02x", digest [i]);
    self->size = (socklen_t) (offsetof (struct sockaddr_un, sun_path) + 1 + used);
    return 0;
}

void
fg_wake_send (const fg_wake_t *self)
{
    if (!self->size)
        return;
    int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    //  No daemon, or one that has not read what it got: nothing to do
    if (sendto (fd, "w", 1, MSG_DONTWAIT | MSG_NOSIGNAL, (const struct sockaddr *) &self->address,
                self->size) < 0)
        fg_debug ("wake: no daemon woken (%s)", strerror (errno));
    close (fd);
}

int
fg_wake_bind (const fg_wake_t *self)
{
    if (!self->size) {
        errno = ENOENT;
        return -1;
    }
    int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (bind (fd, (const struct sockaddr *) &self->address, self->size)) {
        int error = errno;
        close (fd);
        errno = error;
        return -1;
    }
    return fd;
}

size_t
fg_wake_drain (int fd)
{
    size_t count = 0;
    char byte [16];
    while (recv (fd, byte, sizeof byte, MSG_DONTWAIT) >= 0)
        count++;
    return count;
}
