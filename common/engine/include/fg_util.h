/*  fg_util.h - small helpers every class needs: hex, clocks, files.

    Nothing here knows about the domain. Functions that can fail return 0
    on success and -1 on failure (with errno set where the OS gave one).
*/
#ifndef FG_UTIL_H_INCLUDED
#define FG_UTIL_H_INCLUDED

#include "fg_common.h"

//  Write 2*size lowercase hex digits and a NUL into out (2*size+1 bytes).
void     fg_hex_encode (const uint8_t *data, size_t size, char *out);
//  Decode exactly 2*size hex digits (no more, no less) into out.
//  Returns 0, or -1 if the text is not that many hex digits.
int      fg_hex_decode (const char *text, uint8_t *out, size_t size) FG_WARN_UNUSED;

//  Wall clock in milliseconds since the Unix epoch. In a build with test
//  hooks (-DFUGAI_TEST_HOOKS=ON, as tests/run builds) the environment
//  variable FUGAI_CLOCK_OFFSET_MS shifts it (a township PC whose clock is
//  wrong), so that wrong clocks can be exercised on real processes.
int64_t  fg_now_ms (void);
//  Days since 1970-01-01 (negative before) of a YYYY-MM-DD date into
//  *days; returns 0, or -1 if the text is not a valid date (1900-2999).
int      fg_date_parse (const char *text, int64_t *days) FG_WARN_UNUSED;
//  Format days since epoch as YYYY-MM-DD into out (11 bytes).
void     fg_date_format (int64_t days, char *out);

//  Read a whole file; returns a NUL-terminated buffer the caller frees and
//  sets *size_p (not counting the NUL). NULL on failure.
uint8_t *fg_file_read (const char *path, size_t *size_p);
//  Write a file atomically (temp file, fsync, rename) with the given mode.
int      fg_file_write (const char *path, const void *data, size_t size, mode_t mode);
//  Create a directory and its parents with the given mode; 0 if it exists.
int      fg_mkdir_p (const char *path, mode_t mode);

//  printf into a fresh string the caller frees; never NULL (asserts on OOM).
char    *fg_strdupf (const char *format, ...) CHECK_PRINTF (1);

//  printf a reason into errbuf (errsize bytes) and return -1: the one way
//  a function that takes errbuf says why it refused.
int      fg_errf (char *errbuf, size_t errsize, const char *format, ...) CHECK_PRINTF (3);

//  True if text is valid UTF-8 of the given size with no NUL bytes.
bool     fg_utf8_valid (const uint8_t *text, size_t size);

//  Edit distance (Levenshtein, bytes) between two strings; strings longer
//  than 64 bytes count as far apart (SIZE_MAX).
size_t   fg_edit_distance (const char *a, const char *b);
//  The candidate closest to `word` by edit distance if it is close enough
//  to be a likely typo (at most 1 for short words, 2, or a third of the
//  word's length), else NULL. `candidates` is an array of `count` strings
//  (NULL entries skipped); the result is borrowed from it.
const char *fg_suggest (const char *word, const char *const *candidates, size_t count);
//  The same over alternatives "a|b|c" (an enum's values): the closest one
//  copied into out (size bytes) and out returned, or NULL.
const char *fg_suggest_list (const char *word, const char *list, char *out, size_t size);

//  Big-endian integer stores and loads used by every wire format.
static inline void fg_put16 (uint8_t *p, uint16_t v) { p [0] = v >> 8; p [1] = v; }
static inline void fg_put32 (uint8_t *p, uint32_t v) {
    p [0] = v >> 24; p [1] = v >> 16; p [2] = v >> 8; p [3] = v; }
static inline void fg_put64 (uint8_t *p, uint64_t v) {
    fg_put32 (p, (uint32_t) (v >> 32)); fg_put32 (p + 4, (uint32_t) v); }
static inline uint16_t fg_get16 (const uint8_t *p) { return (uint16_t) (p [0] << 8 | p [1]); }
static inline uint32_t fg_get32 (const uint8_t *p) {
    return (uint32_t) p [0] << 24 | (uint32_t) p [1] << 16 | (uint32_t) p [2] << 8 | p [3]; }
static inline uint64_t fg_get64 (const uint8_t *p) {
    return (uint64_t) fg_get32 (p) << 32 | fg_get32 (p + 4); }

//  Debug lines: printed only when fg_verbose is set (daemons' -v, or
//  log/verbose in the config). zsys_debug itself does not filter.
extern bool fg_verbose;
#define fg_debug(...) do { if (fg_verbose) zsys_debug (__VA_ARGS__); } while (0)

#endif
