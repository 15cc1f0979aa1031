/*  fgp_daemon_test.c - self-test of what the daemons share: the sd_notify
    message systemd's Type=notify units wait for (test code only). */
#include "fg_selftests.h"
#include "fgp_daemon.h"
#include "fg_util.h"
#include <sys/socket.h>
#include <sys/un.h>

void
fgp_daemon_test (bool verbose)
{
    printf (" * fgp_daemon: ");
    //  No $NOTIFY_SOCKET: nothing to do, no error
    unsetenv ("NOTIFY_SOCKET");
    assert (fgp_daemon_notify ("READY=1") == 0);

    //  A path socket, as systemd gives one, and an abstract one
    for (int abstract = 0; abstract < 2; abstract++) {
        char path [64];
        snprintf (path, sizeof path, "%s/tmp/fugai-notify-test.%d", abstract ? "@" : "", (int) getpid ());
        int fd = socket (AF_UNIX, SOCK_DGRAM, 0);
        assert (fd >= 0);
        struct sockaddr_un address = { .sun_family = AF_UNIX };
        memcpy (address.sun_path, path, strlen (path));
        if (abstract)
            address.sun_path [0] = 0;
        else
            unlink (path);
        assert (bind (fd, (struct sockaddr *) &address,
                      (socklen_t) (offsetof (struct sockaddr_un, sun_path) + strlen (path))) == 0);
        setenv ("NOTIFY_SOCKET", path, 1);
        assert (fgp_daemon_notify ("READY=1") == 0);
        char buffer [64] = "";
        ssize_t got = recv (fd, buffer, sizeof buffer - 1, MSG_DONTWAIT);
        assert (got == 7 && streq (buffer, "READY=1"));
        close (fd);
        if (!abstract)
            unlink (path);
    }
    //  A socket nobody listens on: -1 (logged), never a crash
    setenv ("NOTIFY_SOCKET", "/tmp/fugai-notify-nobody", 1);
    assert (fgp_daemon_notify ("STOPPING=1") == -1);
    unsetenv ("NOTIFY_SOCKET");
    printf ("OK\n");
}
