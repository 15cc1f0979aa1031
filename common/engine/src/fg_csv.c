/*  fg_csv.c - RFC 4180 reader (see fg_csv.h). */
#include "fg_csv.h"
#include "fg_util.h"

struct _fg_csv_t {
    char   *text;
    size_t  size;
    size_t  pos;
    size_t  line;
    size_t  record_line;
    char  **fields;
    size_t  count;
    size_t  cap;
};

fg_csv_t *
fg_csv_new (const char *text, size_t size)
{
    fg_csv_t *self = (fg_csv_t *) zmalloc (sizeof (fg_csv_t));
    assert (self);
    self->text = (char *) malloc (size + 1);
    assert (self->text);
    memcpy (self->text, text, size);
    self->text [size] = 0;
    self->size = size;
    self->line = 1;
    if (size >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
        self->pos = 3;
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

int
fg_csv_next (fg_csv_t *self, char ***fields_p, size_t *count_p)
{
    s_clear (self);
    *fields_p = NULL;
    *count_p = 0;
    //  Skip blank lines
    while (self->pos < self->size && (self->text [self->pos] == '\n' || self->text [self->pos] == '\r')) {
        if (self->text [self->pos] == '\n')
            self->line++;
        self->pos++;
    }
    if (self->pos >= self->size)
        return 0;
    self->record_line = self->line;
    char *buffer = (char *) malloc (self->size - self->pos + 1);
    assert (buffer);
    while (true) {
        size_t len = 0;
        char *p = self->text + self->pos;
        if (*p == '"') {
            self->pos++;
            while (true) {
                if (self->pos >= self->size) {
                    free (buffer);
                    return -1;               //  unterminated quote
                }
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
        }
        else
            while (self->pos < self->size && self->text [self->pos] != ','
                && self->text [self->pos] != '\n' && self->text [self->pos] != '\r')
                buffer [len++] = self->text [self->pos++];
        if (!fg_utf8_valid ((const uint8_t *) buffer, len)) {
            free (buffer);
            return -1;
        }
        s_push (self, buffer, len);
        if (self->pos < self->size && self->text [self->pos] == ',') {
            self->pos++;
            continue;
        }
        //  End of record (CRLF, LF or end of text)
        if (self->pos < self->size && self->text [self->pos] == '\r')
            self->pos++;
        if (self->pos < self->size && self->text [self->pos] == '\n') {
            self->pos++;
            self->line++;
        }
        break;
    }
    free (buffer);
    *fields_p = self->fields;
    *count_p = self->count;
    return 1;
}

size_t
fg_csv_line (fg_csv_t *self)
{
    return self->record_line;
}
