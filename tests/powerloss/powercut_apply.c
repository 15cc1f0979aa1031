/*  powercut_apply.c - turns a node's files into what a power cut leaves:
    every write after each file's last fsync undone (see powercut.c).

    Usage: powercut-apply LOG       (the processes must be dead: SIGKILL)

    Prints one line: how many writes it undid, in how many files, and how
    many bytes they had written past the last fsync. Exit 0, or 1 if the
    log or a file cannot be read or written. A log torn at its end (the
    process was killed inside a record's write) ends at its last whole
    record. Test code. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "powercut.h"

typedef struct {
    pc_record_t head;
    char *path;
    uint8_t *old;
} s_entry_t;

int
main (int argc, char *argv [])
{
    if (argc != 2) {
        fprintf (stderr, "usage: powercut-apply LOG\n");
        return 1;
    }
    FILE *log = fopen (argv [1], "rb");
    if (!log) {
        perror (argv [1]);
        return 1;
    }
    size_t count = 0, cap = 1024;
    s_entry_t *entries = malloc (cap * sizeof *entries);
    pc_record_t head;
    while (fread (&head, sizeof head, 1, log) == 1) {
        if (head.magic != PC_MAGIC || head.path_len == 0 || head.path_len > 4096) {
            fprintf (stderr, "powercut-apply: %s: bad record after %zu\n", argv [1], count);
            return 1;
        }
        char *path = calloc (1, head.path_len + 1);
        uint8_t *old = head.old_len ? malloc (head.old_len) : NULL;
        if (fread (path, head.path_len, 1, log) != 1
        ||  (head.old_len && fread (old, head.old_len, 1, log) != 1)) {
            free (path);
            free (old);
            break;              //  torn last record: the write it guards never happened
        }
        if (count == cap)
            entries = realloc (entries, (cap *= 2) * sizeof *entries);
        entries [count++] = (s_entry_t) { head, path, old };
    }
    fclose (log);
    //  Walk back from the end: a file's records count until its last sync
    size_t undone = 0, files = 0;
    uint64_t bytes = 0;
    char **synced = calloc (count + 1, sizeof (char *));
    char **touched = calloc (count + 1, sizeof (char *));
    size_t synced_count = 0, touched_count = 0;
    for (size_t i = count; i-- > 0;) {
        s_entry_t *entry = &entries [i];
        int done = 0;
        for (size_t s = 0; s < synced_count; s++)
            if (strcmp (synced [s], entry->path) == 0)
                done = 1;
        if (done)
            continue;
        if (entry->head.kind == PC_SYNC) {
            synced [synced_count++] = entry->path;
            continue;
        }
        int fd = open (entry->path, O_WRONLY);
        if (fd < 0)
            continue;           //  removed since: its directory entry is taken as durable
        struct stat st;
        if (fstat (fd, &st) == 0 && (uint64_t) st.st_size > entry->head.old_size)
            bytes += (uint64_t) st.st_size - entry->head.old_size;
        bytes += entry->head.old_len;
        if ((entry->head.old_len
             && pwrite (fd, entry->old, entry->head.old_len, (off_t) entry->head.offset)
                != (ssize_t) entry->head.old_len)
        ||  ftruncate (fd, (off_t) entry->head.old_size)) {
            perror (entry->path);
            return 1;
        }
        close (fd);
        undone++;
        int seen = 0;
        for (size_t t = 0; t < touched_count; t++)
            if (strcmp (touched [t], entry->path) == 0)
                seen = 1;
        if (!seen) {
            touched [touched_count++] = entry->path;
            files++;
        }
    }
    printf ("undid %zu writes in %zu files (%llu bytes restored or cut); %zu records\n",
            undone, files, (unsigned long long) bytes, count);
    for (size_t i = 0; i < count; i++) {
        free (entries [i].path);
        free (entries [i].old);
    }
    free (entries);
    free (synced);
    free (touched);
    return 0;
}
