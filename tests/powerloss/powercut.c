/*  powercut.c - LD_PRELOAD library: what a power cut would leave on disk.

    Loaded into the processes of one node (its daemon and its fugai
    commands) with FG_POWERCUT_DIR=NODE_DIR and FG_POWERCUT_LOG=FILE, it
    lets every write through, but first appends to FILE an undo record:
    the bytes the write is about to cover and the file's size before it.
    An fsync or fdatasync of a file appends a sync mark for it. After the
    processes are killed with SIGKILL, powercut-apply FILE rolls every
    file back over the undo records that follow its last sync mark, in
    reverse order: the node's files are then exactly what a disk that
    lost its cache would hold, every write since each file's last fsync
    gone. (A real power cut may keep any part of those writes; losing all
    of them is the harshest case, and the one that shows whether an
    acknowledgement was promised before its fsync.)

    Files followed: every file opened under FG_POWERCUT_DIR, except the
    SQLite shared-memory index (-shm, rebuilt from the WAL when a
    connection opens after a crash). Writes through write, pwrite,
    pwrite64 and ftruncate; not mmap (SQLite writes its database and WAL
    with pwrite), not O_TRUNC at open, not renames or unlinks (directory
    metadata is taken as durable). Test code: never shipped.

    A slow disk: with FG_POWERCUT_SYNC_US=N (alone, or with the two
    above), every fsync and fdatasync of the process first sleeps N
    microseconds; a daemon's commits then come well after what it logs
    or answers before them (tests/integration/signal_at_start).
*/
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include "powercut.h"

#define S_FDS 4096

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static char *s_paths [S_FDS];           //  followed fd -> absolute path
static char s_dir [PATH_MAX];
static size_t s_dir_len;
static int s_log = -1;

static int (*s_real_open) (const char *, int, ...);
static int (*s_real_open64) (const char *, int, ...);
static int (*s_real_openat) (int, const char *, int, ...);
static int (*s_real_openat64) (int, const char *, int, ...);
static int (*s_real_close) (int);
static ssize_t (*s_real_write) (int, const void *, size_t);
static ssize_t (*s_real_pwrite) (int, const void *, size_t, off_t);
static ssize_t (*s_real_pwrite64) (int, const void *, size_t, off_t);
static int (*s_real_ftruncate) (int, off_t);
static int (*s_real_ftruncate64) (int, off_t);
static int (*s_real_fsync) (int);
static int (*s_real_fdatasync) (int);
static useconds_t s_sync_us;            //  FG_POWERCUT_SYNC_US

__attribute__ ((constructor)) static void
s_init (void)
{
    s_real_open = dlsym (RTLD_NEXT, "open");
    s_real_open64 = dlsym (RTLD_NEXT, "open64");
    s_real_openat = dlsym (RTLD_NEXT, "openat");
    s_real_openat64 = dlsym (RTLD_NEXT, "openat64");
    s_real_close = dlsym (RTLD_NEXT, "close");
    s_real_write = dlsym (RTLD_NEXT, "write");
    s_real_pwrite = dlsym (RTLD_NEXT, "pwrite");
    s_real_pwrite64 = dlsym (RTLD_NEXT, "pwrite64");
    s_real_ftruncate = dlsym (RTLD_NEXT, "ftruncate");
    s_real_ftruncate64 = dlsym (RTLD_NEXT, "ftruncate64");
    s_real_fsync = dlsym (RTLD_NEXT, "fsync");
    s_real_fdatasync = dlsym (RTLD_NEXT, "fdatasync");
    const char *slow = getenv ("FG_POWERCUT_SYNC_US");
    s_sync_us = slow ? (useconds_t) strtoul (slow, NULL, 10) : 0;
    const char *dir = getenv ("FG_POWERCUT_DIR");
    const char *log = getenv ("FG_POWERCUT_LOG");
    if (!dir || !log || !realpath (dir, s_dir))
        return;
    s_dir_len = strlen (s_dir);
    s_log = s_real_open (log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

//  One record, one write (O_APPEND: whole records, whichever process)
static void
s_record (uint32_t kind, const char *path, uint64_t offset, const void *old, uint64_t old_len,
          uint64_t old_size)
{
    pc_record_t head = { PC_MAGIC, kind, (uint32_t) strlen (path), offset, old_len, old_size };
    size_t size = sizeof head + head.path_len + old_len;
    uint8_t *buffer = malloc (size);
    if (!buffer)
        abort ();
    memcpy (buffer, &head, sizeof head);
    memcpy (buffer + sizeof head, path, head.path_len);
    if (old_len)
        memcpy (buffer + sizeof head + head.path_len, old, old_len);
    if (s_real_write (s_log, buffer, size) != (ssize_t) size)
        abort ();               //  a lost undo record would fake durability
    free (buffer);
}

//  Before a write of `len` bytes at `offset` (or a truncation to
//  `offset` when truncate): save what it covers
static void
s_before (int fd, uint64_t offset, uint64_t len, int truncate)
{
    if (s_log < 0 || fd < 0 || fd >= S_FDS)
        return;
    pthread_mutex_lock (&s_lock);
    const char *path = s_paths [fd];
    if (path) {
        struct stat st;
        if (fstat (fd, &st))
            abort ();
        uint64_t size = (uint64_t) st.st_size;
        uint64_t from = offset;
        uint64_t to = truncate ? size : offset + len;
        uint64_t old_len = from < size ? (to < size ? to : size) - from : 0;
        uint8_t *old = old_len ? malloc (old_len) : NULL;
        if (old_len && (!old || pread (fd, old, old_len, (off_t) from) != (ssize_t) old_len))
            abort ();
        s_record (PC_UNDO, path, from, old, old_len, size);
        free (old);
    }
    pthread_mutex_unlock (&s_lock);
}

static void
s_synced (int fd)
{
    if (s_log < 0 || fd < 0 || fd >= S_FDS)
        return;
    pthread_mutex_lock (&s_lock);
    if (s_paths [fd])
        s_record (PC_SYNC, s_paths [fd], 0, NULL, 0, 0);
    pthread_mutex_unlock (&s_lock);
}

static void
s_opened (int fd)
{
    if (s_log < 0 || fd < 0 || fd >= S_FDS)
        return;
    char link [64], path [PATH_MAX];
    snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink (link, path, sizeof path - 1);
    if (n <= 0)
        return;
    path [n] = 0;
    size_t len = (size_t) n;
    int followed = strncmp (path, s_dir, s_dir_len) == 0 && path [s_dir_len] == '/'
                && !(len > 4 && strcmp (path + len - 4, "-shm") == 0);
    pthread_mutex_lock (&s_lock);
    free (s_paths [fd]);
    s_paths [fd] = followed ? strdup (path) : NULL;
    pthread_mutex_unlock (&s_lock);
}

static mode_t
s_mode (int flags, va_list args)
{
    return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t) va_arg (args, int) : 0;
}

int
open (const char *path, int flags, ...)
{
    va_list args;
    va_start (args, flags);
    mode_t mode = s_mode (flags, args);
    va_end (args);
    int fd = s_real_open (path, flags, mode);
    s_opened (fd);
    return fd;
}

int
open64 (const char *path, int flags, ...)
{
    va_list args;
    va_start (args, flags);
    mode_t mode = s_mode (flags, args);
    va_end (args);
    int fd = s_real_open64 (path, flags, mode);
    s_opened (fd);
    return fd;
}

int
openat (int dirfd, const char *path, int flags, ...)
{
    va_list args;
    va_start (args, flags);
    mode_t mode = s_mode (flags, args);
    va_end (args);
    int fd = s_real_openat (dirfd, path, flags, mode);
    s_opened (fd);
    return fd;
}

int
openat64 (int dirfd, const char *path, int flags, ...)
{
    va_list args;
    va_start (args, flags);
    mode_t mode = s_mode (flags, args);
    va_end (args);
    int fd = s_real_openat64 (dirfd, path, flags, mode);
    s_opened (fd);
    return fd;
}

int
close (int fd)
{
    if (fd >= 0 && fd < S_FDS) {
        pthread_mutex_lock (&s_lock);
        free (s_paths [fd]);
        s_paths [fd] = NULL;
        pthread_mutex_unlock (&s_lock);
    }
    return s_real_close (fd);
}

ssize_t
write (int fd, const void *data, size_t len)
{
    if (fd >= 0 && fd < S_FDS && s_paths [fd]) {
        off_t at = lseek (fd, 0, SEEK_CUR);
        if (at >= 0)
            s_before (fd, (uint64_t) at, len, 0);
    }
    return s_real_write (fd, data, len);
}

ssize_t
pwrite (int fd, const void *data, size_t len, off_t offset)
{
    s_before (fd, (uint64_t) offset, len, 0);
    return s_real_pwrite (fd, data, len, offset);
}

ssize_t
pwrite64 (int fd, const void *data, size_t len, off_t offset)
{
    s_before (fd, (uint64_t) offset, len, 0);
    return s_real_pwrite64 (fd, data, len, offset);
}

int
ftruncate (int fd, off_t length)
{
    s_before (fd, (uint64_t) length, 0, 1);
    return s_real_ftruncate (fd, length);
}

int
ftruncate64 (int fd, off_t length)
{
    s_before (fd, (uint64_t) length, 0, 1);
    return s_real_ftruncate64 (fd, length);
}

int
fsync (int fd)
{
    if (s_sync_us)
        usleep (s_sync_us);
    int rc = s_real_fsync (fd);
    if (rc == 0)
        s_synced (fd);
    return rc;
}

int
fdatasync (int fd)
{
    if (s_sync_us)
        usleep (s_sync_us);
    int rc = s_real_fdatasync (fd);
    if (rc == 0)
        s_synced (fd);
    return rc;
}
