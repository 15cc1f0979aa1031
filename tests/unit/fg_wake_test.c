/*  fg_wake_test.c - self-test of fg_wake (test code: never linked into a
    shipped program). */
#include "fg_selftests.h"
#include "fg_wake.h"
#include "fg_util.h"

void
fg_wake_test (bool verbose)
{
    printf (" * fg_wake: ");
    char *dir = fg_strdupf ("/tmp/fg_wake_test.%d", getpid ());
    fg_mkdir_p (dir, 0700);
    char *path = fg_strdupf ("%s/replica.db", dir);
    char *other = fg_strdupf ("%s/other.db", dir);
    char *alias = fg_strdupf ("%s/./replica.db", dir);
    FILE *file = fopen (path, "w");
    assert (file);
    fclose (file);
    file = fopen (other, "w");
    assert (file);
    fclose (file);

    //  No path, no address: sending does nothing
    fg_wake_t none;
    assert (fg_wake_init (&none, "/nonexistent/fugai/replica.db") == -1);
    fg_wake_send (&none);
    assert (fg_wake_bind (&none) == -1);

    //  No daemon: sending returns (a writer that waited would hang here,
    //  and ctest's timeout would say so; no time is asserted)
    fg_wake_t wake, same, elsewhere;
    assert (fg_wake_init (&wake, path) == 0);
    assert (fg_wake_init (&same, alias) == 0);
    assert (fg_wake_init (&elsewhere, other) == 0);
    for (int i = 0; i < 1000; i++)
        fg_wake_send (&wake);

    //  A daemon: woken by a writer of the same file under another path,
    //  not by a writer of another file
    int fd = fg_wake_bind (&wake);
    assert (fd >= 0);
    assert (fg_wake_bind (&same) == -1 && errno == EADDRINUSE);
    assert (fg_wake_drain (fd) == 0);
    fg_wake_send (&same);
    fg_wake_send (&elsewhere);
    assert (fg_wake_drain (fd) == 1);
    //  A daemon that does not read: the writer still never blocks, long
    //  past the socket's queue (net.unix.max_dgram_qlen, 512 by default)
    for (int i = 0; i < 20000; i++)
        fg_wake_send (&wake);
    assert (fg_wake_drain (fd) > 0);
    close (fd);
    //  Gone: the name is free again at once
    fd = fg_wake_bind (&same);
    assert (fd >= 0);
    close (fd);

    unlink (path);
    unlink (other);
    rmdir (dir);
    free (alias);
    free (other);
    free (path);
    free (dir);
    if (verbose)
        printf ("(verbose) ");
    printf ("OK\n");
}
