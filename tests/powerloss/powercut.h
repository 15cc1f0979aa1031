/*  powercut.h - the undo log of powercut.c, read by powercut_apply.c.
    Test code. A record is this header, then path_len bytes of the
    file's absolute path, then old_len bytes (PC_UNDO: what the write
    covered; PC_SYNC: none). Host byte order: written and read on the same
    machine. */
#ifndef POWERCUT_H_INCLUDED
#define POWERCUT_H_INCLUDED

#include <stdint.h>

#define PC_MAGIC 0x54435750u    //  "PWCT"
#define PC_UNDO  1u             //  before a write or truncation
#define PC_SYNC  2u             //  after a successful fsync / fdatasync

typedef struct {
    uint32_t magic;
    uint32_t kind;
    uint32_t path_len;
    uint64_t offset;            //  where the old bytes go back
    uint64_t old_len;           //  how many old bytes follow the path
    uint64_t old_size;          //  the file's size before the write
} pc_record_t;

#endif
