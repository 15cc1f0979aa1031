/*  fg_util.c - hex, clocks, dates, atomic files, UTF-8 checks, tier names.

    Dates are days since 1970-01-01 in the proleptic Gregorian calendar,
    computed with integer arithmetic only (Howard Hinnant's civil-from-days
    algorithm), so that every node gets the same answer.
*/
#include "fg_util.h"
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#include <libgen.h>

bool fg_verbose = false;

fg_tier_t
fg_tier_from_name (const char *name)
{
    if (!name)
        return FG_TIER_NONE;
    if (streq (name, "township") || streq (name, "E"))
        return FG_TIER_TOWNSHIP;
    if (streq (name, "county") || streq (name, "C"))
        return FG_TIER_COUNTY;
    if (streq (name, "prefecture") || streq (name, "P"))
        return FG_TIER_PREFECTURE;
    return FG_TIER_NONE;
}

const char *
fg_tier_name (fg_tier_t tier)
{
    switch (tier) {
        case FG_TIER_TOWNSHIP:   return "township";
        case FG_TIER_COUNTY:     return "county";
        case FG_TIER_PREFECTURE: return "prefecture";
        default:                 return "none";
    }
}

char
fg_tier_letter (fg_tier_t tier)
{
    switch (tier) {
        case FG_TIER_TOWNSHIP:   return 'E';
        case FG_TIER_COUNTY:     return 'C';
        case FG_TIER_PREFECTURE: return 'P';
        default:                 return '?';
    }
}

void
fg_hex_encode (const uint8_t *data, size_t size, char *out)
{
    static const char digits [] = "0123456789abcdef";
    for (size_t i = 0; i < size; i++) {
        out [2 * i]     = digits [data [i] >> 4];
        out [2 * i + 1] = digits [data [i] & 15];
    }
    out [2 * size] = 0;
}

static int
s_hex_value (char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int
fg_hex_decode (const char *text, uint8_t *out, size_t size)
{
    if (!text || strlen (text) != 2 * size)
        return -1;
    for (size_t i = 0; i < size; i++) {
        int hi = s_hex_value (text [2 * i]);
        int lo = s_hex_value (text [2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out [i] = (uint8_t) (hi << 4 | lo);
    }
    return 0;
}

int64_t
fg_now_ms (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_REALTIME, &ts);
    int64_t now = (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
#ifdef FUGAI_TEST_HOOKS
    //  Test hook (built only with -DFUGAI_TEST_HOOKS=ON): a PC whose clock
    //  is off by this many ms (tests/integration/clock_skew)
    const char *offset = getenv ("FUGAI_CLOCK_OFFSET_MS");
    if (offset && *offset)
        now += strtoll (offset, NULL, 10);
#endif
    return now;
}

//  Days from civil date; y/m/d already range-checked.
static int64_t
s_days_from_civil (int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned) (y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t) doe - 719468;
}

int
fg_date_parse (const char *text, int64_t *days)
{
    *days = 0;
    if (!text || strlen (text) != 10 || text [4] != '-' || text [7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (text [i] < '0' || text [i] > '9'))
            return -1;
    int y = atoi (text), m = atoi (text + 5), d = atoi (text + 8);
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
        return -1;
    static const int mdays [] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = mdays [m - 1] + (m == 2 ? leap : 0);
    if (d > max)
        return -1;
    *days = s_days_from_civil (y, (unsigned) m, (unsigned) d);
    return 0;
}

void
fg_date_format (int64_t z, char *out)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned) (z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = (int64_t) yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    char text [32];
    snprintf (text, sizeof text, "%04d-%02u-%02u", (int) y, m, d);
    memcpy (out, text, 10);
    out [10] = 0;
}

uint8_t *
fg_file_read (const char *path, size_t *size_p)
{
    *size_p = 0;
    FILE *file = fopen (path, "rb");
    if (!file)
        return NULL;
    uint8_t *data = NULL;
    size_t size = 0, cap = 0;
    while (true) {
        if (size + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            uint8_t *bigger = (uint8_t *) realloc (data, cap);
            assert (bigger);
            data = bigger;
        }
        size_t got = fread (data + size, 1, cap - size - 1, file);
        size += got;
        if (got == 0)
            break;
    }
    bool failed = ferror (file);
    fclose (file);
    if (failed) {
        free (data);
        return NULL;
    }
    data [size] = 0;
    *size_p = size;
    return data;
}

int
fg_file_write (const char *path, const void *data, size_t size, mode_t mode)
{
    char *temp = fg_strdupf ("%s.tmp.%d", path, (int) getpid ());
    int fd = open (temp, O_WRONLY | O_CREAT | O_TRUNC, mode);
    int rc = fd < 0 ? -1 : 0;
    if (rc == 0 && fchmod (fd, mode))
        rc = -1;
    const uint8_t *p = (const uint8_t *) data;
    size_t left = size;
    while (rc == 0 && left > 0) {
        ssize_t n = write (fd, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = -1;
        }
        else {
            p += n;
            left -= (size_t) n;
        }
    }
    if (rc == 0 && fsync (fd))
        rc = -1;
    if (fd >= 0 && close (fd))
        rc = -1;
    if (rc == 0 && rename (temp, path))
        rc = -1;
    if (rc)
        unlink (temp);
    free (temp);
    return rc;
}

int
fg_mkdir_p (const char *path, mode_t mode)
{
    char *copy = strdup (path);
    assert (copy);
    int rc = 0;
    for (char *p = copy + 1; rc == 0; p++) {
        if (*p == '/' || *p == 0) {
            char saved = *p;
            *p = 0;
            if (mkdir (copy, mode) && errno != EEXIST)
                rc = -1;
            *p = saved;
            if (saved == 0)
                break;
        }
    }
    free (copy);
    return rc;
}

char *
fg_strdupf (const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *result = NULL;
    int rc = vasprintf (&result, format, args);
    va_end (args);
    assert (rc >= 0 && result);
    return result;
}

int
fg_errf (char *errbuf, size_t errsize, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    vsnprintf (errbuf, errsize, format, args);
    va_end (args);
    return -1;
}

bool
fg_utf8_valid (const uint8_t *s, size_t size)
{
    size_t i = 0;
    while (i < size) {
        uint8_t c = s [i];
        if (c == 0)
            return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        uint32_t cp;
        if ((c & 0xE0) == 0xC0)      { len = 2; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
        else
            return false;
        if (i + len > size)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s [i + k] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (s [i + k] & 0x3F);
        }
        //  Reject overlong forms, surrogates and code points past U+10FFFF
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)
        ||  (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return false;
        i += len;
    }
    return true;
}

//  --------------------------------------------------------------------------
//  Suggestions for a mistyped name

size_t
fg_edit_distance (const char *a, const char *b)
{
    //  Optimal string alignment: insert, delete, substitute, and swap two
    //  neighbours ("lsit" is one step from "list"), each costing 1
    size_t la = strlen (a), lb = strlen (b);
    if (la > 64 || lb > 64)
        return SIZE_MAX;
    size_t d [65][65];
    for (size_t i = 0; i <= la; i++)
        d [i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d [0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d [i - 1][j - 1] + (a [i - 1] != b [j - 1]);
            if (d [i - 1][j] + 1 < best)
                best = d [i - 1][j] + 1;
            if (d [i][j - 1] + 1 < best)
                best = d [i][j - 1] + 1;
            if (i > 1 && j > 1 && a [i - 1] == b [j - 2] && a [i - 2] == b [j - 1] && d [i - 2][j - 2] + 1 < best)
                best = d [i - 2][j - 2] + 1;
            d [i][j] = best;
        }
    return d [la][lb];
}

static size_t
s_typo_bound (const char *word)
{
    size_t len = strlen (word);
    return len <= 3 ? 1 : len / 3 > 2 ? len / 3 : 2;
}

const char *
fg_suggest (const char *word, const char *const *candidates, size_t count)
{
    const char *best = NULL;
    size_t best_distance = s_typo_bound (word) + 1;
    for (size_t i = 0; word && i < count; i++) {
        if (!candidates [i])
            continue;
        size_t distance = fg_edit_distance (word, candidates [i]);
        //  A prefix of a longer name counts as close (lis -> list)
        if (distance >= best_distance && strlen (word) >= 3
        &&  strncmp (word, candidates [i], strlen (word)) == 0)
            distance = best_distance - 1;
        if (distance < best_distance) {
            best = candidates [i];
            best_distance = distance;
        }
    }
    return best;
}

const char *
fg_suggest_list (const char *word, const char *list, char *out, size_t size)
{
    const char *names [64];
    char *copy = strdup (list ? list : "");
    assert (copy);
    size_t count = 0;
    for (char *save = NULL, *name = strtok_r (copy, "|", &save); name && count < 64;
         name = strtok_r (NULL, "|", &save))
        names [count++] = name;
    const char *best = fg_suggest (word, names, count);
    if (best)
        snprintf (out, size, "%s", best);
    free (copy);
    return best ? out : NULL;
}
