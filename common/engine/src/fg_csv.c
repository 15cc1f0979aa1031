/*  fg_csv.c - strict RFC 4180 reader, UTF-8 or GB18030 (see fg_csv.h). */
#include "fg_csv.h"
#include "fg_util.h"
#include <iconv.h>

struct _fg_csv_t {
    char   *text;            //  UTF-8, NUL-terminated
    size_t  size;
    size_t  pos;
    size_t  line;
    size_t  record_line;
    char  **fields;
    size_t  count;
    size_t  cap;
    char   *buffer;          //  one field being read (size + 1 bytes)
    const char *encoding;
    char    error [160];
};

//  GB18030 bytes to UTF-8 (malloc'd, NUL-terminated), or NULL if they
//  are not valid GB18030 either.
static char *
s_from_gb18030 (const char *text, size_t size, size_t *out_size)
{
    iconv_t cd = iconv_open ("UTF-8", "GB18030");
    if (cd == (iconv_t) -1)
        return NULL;
    size_t cap = size * 2 + 16;      //  2-byte GBK -> at most 3 bytes; 4-byte -> 4
    char *out = (char *) malloc (cap);
    assert (out);
    char *in = (char *) text, *dest = out;
    size_t in_left = size, out_left = cap - 1;
    size_t rc = iconv (cd, &in, &in_left, &dest, &out_left);
    iconv_close (cd);
    if (rc == (size_t) -1 || in_left) {
        free (out);
        return NULL;
    }
    *dest = 0;
    *out_size = (size_t) (dest - out);
    return out;
}

fg_csv_t *
fg_csv_new (const char *text, size_t size)
{
    fg_csv_t *self = (fg_csv_t *) zmalloc (sizeof (fg_csv_t));
    assert (self);
    self->line = 1;
    self->encoding = "UTF-8";
    if (size >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        size -= 3;
        self->encoding = "UTF-8 with BOM";
    }
    //  fg_utf8_valid refuses NUL bytes: a NUL is no more welcome in GB18030
    if (fg_utf8_valid ((const uint8_t *) text, size)) {
        self->text = (char *) malloc (size + 1);
        assert (self->text);
        memcpy (self->text, text, size);
        self->text [size] = 0;
        self->size = size;
    }
    else
    if (!memchr (text, 0, size) && (self->text = s_from_gb18030 (text, size, &self->size)))
        self->encoding = "GB18030";
    else {
        self->encoding = "unknown";
        self->text = strdup ("");
        assert (self->text);
        snprintf (self->error, sizeof self->error,
                  "the file is neither UTF-8 nor GB18030/GBK text (save it as CSV UTF-8)");
    }
    self->buffer = (char *) malloc (self->size + 1);
    assert (self->buffer);
    return self;
}

fg_csv_t *
fg_csv_open (const char *path)
{
    size_t size;
    uint8_t *text = fg_file_read (path, &size);
    if (!text)
        return NULL;
    fg_csv_t *self = fg_csv_new ((const char *) text, size);
    free (text);
    return self;
}

static void
s_clear (fg_csv_t *self)
{
    for (size_t i = 0; i < self->count; i++)
        free (self->fields [i]);
    self->count = 0;
}

void
fg_csv_destroy (fg_csv_t **self_p)
{
    fg_csv_t *self = *self_p;
    if (self) {
        s_clear (self);
        free (self->fields);
        free (self->buffer);
        free (self->text);
        free (self);
        *self_p = NULL;
    }
}

static void
s_push (fg_csv_t *self, const char *start, size_t len)
{
    if (self->count == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 16;
        self->fields = (char **) realloc (self->fields, self->cap * sizeof (char *));
        assert (self->fields);
    }
    char *field = (char *) malloc (len + 1);
    assert (field);
    memcpy (field, start, len);
    field [len] = 0;
    self->fields [self->count++] = field;
}

//  A malformed record: say why, skip to the next line, return -1.
static int
s_malformed (fg_csv_t *self, const char *why)
{
    snprintf (self->error, sizeof self->error, "%s", why);
    s_clear (self);
    while (self->pos < self->size && self->text [self->pos] != '\n')
        self->pos++;
    if (self->pos < self->size) {
        self->pos++;
        self->line++;
    }
    return -1;
}

static bool
s_at_end_of_field (fg_csv_t *self)
{
    return self->pos >= self->size || self->text [self->pos] == ','
        || self->text [self->pos] == '\n' || self->text [self->pos] == '\r';
}

int
fg_csv_next (fg_csv_t *self, char ***fields_p, size_t *count_p)
{
    s_clear (self);
    *fields_p = NULL;
    *count_p = 0;
    if (streq (self->encoding, "unknown")) {
        self->encoding = "unknown (reported)";
        return -1;
    }
    self->error [0] = 0;
    //  Skip blank lines
    while (self->pos < self->size && (self->text [self->pos] == '\n' || self->text [self->pos] == '\r')) {
        if (self->text [self->pos] == '\n')
            self->line++;
        self->pos++;
    }
    if (self->pos >= self->size)
        return 0;
    self->record_line = self->line;
    char *buffer = self->buffer;
    while (true) {
        size_t len = 0;
        if (self->text [self->pos] == '"') {
            self->pos++;
            while (true) {
                if (self->pos >= self->size)
                    return s_malformed (self, "a quoted field is never closed (a missing \")");
                char c = self->text [self->pos++];
                if (c == '"') {
                    if (self->pos < self->size && self->text [self->pos] == '"') {
                        buffer [len++] = '"';
                        self->pos++;
                        continue;
                    }
                    break;
                }
                if (c == '\n')
                    self->line++;
                buffer [len++] = c;
            }
            if (!s_at_end_of_field (self))
                return s_malformed (self, "text after the closing quote of a field "
                                          "(a quote inside a quoted field is written \"\")");
        }
        else {
            while (!s_at_end_of_field (self)) {
                if (self->text [self->pos] == '"')
                    return s_malformed (self, "a quote inside a field that is not quoted "
                                              "(enclose the field in quotes and double the quote)");
                buffer [len++] = self->text [self->pos++];
            }
        }
        s_push (self, buffer, len);
        if (self->pos < self->size && self->text [self->pos] == ',') {
            self->pos++;
            continue;
        }
        //  End of record (CRLF, LF or end of text); a lone CR ends it too
        if (self->pos < self->size && self->text [self->pos] == '\r')
            self->pos++;
        if (self->pos < self->size && self->text [self->pos] == '\n') {
            self->pos++;
            self->line++;
        }
        break;
    }
    *fields_p = self->fields;
    *count_p = self->count;
    return 1;
}

size_t
fg_csv_line (fg_csv_t *self)
{
    return self->record_line ? self->record_line : self->line;
}

const char *
fg_csv_error (fg_csv_t *self)
{
    return self->error;
}

const char *
fg_csv_encoding (fg_csv_t *self)
{
    return strncmp (self->encoding, "unknown", 7) == 0 ? "unknown" : self->encoding;
}
