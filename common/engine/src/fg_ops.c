/*  fg_ops.c - canonical encoding of entry payloads (format in fg_ops.h). */
#include "fg_ops.h"
#include "fg_util.h"

bool
fg_name_valid (const char *name)
{
    size_t len = name ? strlen (name) : 0;
    if (len < 1 || len > FG_NAME_MAX_LEN || name [0] < 'a' || name [0] > 'z')
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = name [i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    return true;
}

const char *
fg_op_kind_name (fg_op_kind_t kind)
{
    switch (kind) {
        case FG_OP_PUT:    return "put";
        case FG_OP_INSERT: return "insert";
        case FG_OP_VOID:   return "void";
        case FG_OP_META:   return "meta";
        default:           return "?";
    }
}

//  Reading ----------------------------------------------------------------

//  Read a NAME (or NAME0 if allow_empty) into out; 0 or -1.
static int
s_read_name (const uint8_t **p, const uint8_t *end, char *out, bool allow_empty)
{
    if (*p >= end)
        return -1;
    size_t len = **p;
    (*p)++;
    if ((len == 0 && !allow_empty) || len > FG_NAME_MAX_LEN || (size_t) (end - *p) < len)
        return -1;
    //  A NUL inside would make two encodings read as one name
    if (len > 0 && memchr (*p, 0, len))
        return -1;
    memcpy (out, *p, len);
    out [len] = 0;
    *p += len;
    if (len > 0 && !fg_name_valid (out))
        return -1;
    return 0;
}

static int
s_read_op (const uint8_t **pp, const uint8_t *end, fg_op_t *op)
{
    const uint8_t *p = *pp;
    const uint8_t *start = p;
    memset (op, 0, offsetof (fg_op_t, fields));
    if (p >= end)
        return -1;
    op->kind = (fg_op_kind_t) *p++;
    if (op->kind < FG_OP_PUT || op->kind > FG_OP_META)
        return -1;
    if (s_read_name (&p, end, op->table, false)
    ||  s_read_name (&p, end, op->group, true))
        return -1;
    if (end - p < 18)
        return -1;
    op->row_id = fg_get64 (p);
    p += 8;
    op->anchor = fg_get64 (p);
    p += 8;
    op->field_count = fg_get16 (p);
    p += 2;
    if (op->field_count > FG_OP_MAX_FIELDS)
        return -1;
    for (size_t i = 0; i < op->field_count; i++) {
        fg_field_t *field = &op->fields [i];
        if (s_read_name (&p, end, field->name, false))
            return -1;
        //  Strictly ascending names: canonical and duplicate-free
        if (i > 0 && strcmp (op->fields [i - 1].name, field->name) >= 0)
            return -1;
        if (p >= end)
            return -1;
        fg_value_t *value = &field->value;
        memset (value, 0, sizeof *value);
        value->type = (fg_val_type_t) *p++;
        switch (value->type) {
            case FG_VAL_NULL:
                break;
            case FG_VAL_INT:
                if (end - p < 8)
                    return -1;
                value->i = (int64_t) fg_get64 (p);
                p += 8;
                break;
            case FG_VAL_TEXT:
            case FG_VAL_BLOB:
                if (end - p < 4)
                    return -1;
                value->size = fg_get32 (p);
                p += 4;
                if ((size_t) (end - p) < value->size)
                    return -1;
                value->data = p;
                p += value->size;
                if (value->type == FG_VAL_TEXT && !fg_utf8_valid (value->data, value->size))
                    return -1;
                break;
            default:
                return -1;
        }
    }
    op->bytes = start;
    op->size = (size_t) (p - start);
    *pp = p;
    return 0;
}

int
fg_ops_reader_init (fg_ops_reader_t *reader, const uint8_t *payload, size_t size)
{
    memset (reader, 0, sizeof *reader);
    if (size < 2)
        return -1;
    size_t count = fg_get16 (payload);
    if (count < 1 || count > FG_OPS_MAX)
        return -1;
    reader->cursor = payload + 2;
    reader->end = payload + size;
    reader->remaining = count;
    return 0;
}

int
fg_ops_next (fg_ops_reader_t *reader, fg_op_t *op)
{
    if (reader->remaining == 0)
        return reader->cursor == reader->end ? 0 : -1;
    if (s_read_op (&reader->cursor, reader->end, op))
        return -1;
    reader->remaining--;
    return 1;
}

int
fg_op_decode (fg_op_t *op, const uint8_t *bytes, size_t size)
{
    const uint8_t *p = bytes;
    if (s_read_op (&p, bytes + size, op))
        return -1;
    return p == bytes + size ? 0 : -1;
}

const fg_value_t *
fg_op_get (const fg_op_t *op, const char *name)
{
    for (size_t i = 0; i < op->field_count; i++)
        if (streq (op->fields [i].name, name))
            return &op->fields [i].value;
    return NULL;
}

char *
fg_value_strdup (const fg_value_t *value)
{
    if (!value || value->type != FG_VAL_TEXT)
        return NULL;
    char *text = (char *) malloc (value->size + 1);
    assert (text);
    memcpy (text, value->data, value->size);
    text [value->size] = 0;
    return text;
}

//  Building ---------------------------------------------------------------

typedef struct {
    char          *name;
    fg_val_type_t  type;
    int64_t        i;
    uint8_t       *data;
    size_t         size;
} s_field_t;

typedef struct {
    fg_op_kind_t kind;
    char        *table;
    char        *group;
    uint64_t     row_id;
    uint64_t     anchor;
    s_field_t    fields [FG_OP_MAX_FIELDS + 1];
    size_t       field_count;
    bool         overflow;
} s_op_t;

struct _fg_ops_t {
    s_op_t **ops;
    size_t   count;
    size_t   cap;
};

fg_ops_t *
fg_ops_new (void)
{
    fg_ops_t *self = (fg_ops_t *) zmalloc (sizeof (fg_ops_t));
    assert (self);
    return self;
}

static void
s_field_clear (s_field_t *field)
{
    free (field->name);
    free (field->data);
    memset (field, 0, sizeof *field);
}

void
fg_ops_destroy (fg_ops_t **self_p)
{
    assert (self_p);
    fg_ops_t *self = *self_p;
    if (self) {
        for (size_t i = 0; i < self->count; i++) {
            s_op_t *op = self->ops [i];
            for (size_t f = 0; f < op->field_count; f++)
                s_field_clear (&op->fields [f]);
            free (op->table);
            free (op->group);
            free (op);
        }
        free (self->ops);
        free (self);
        *self_p = NULL;
    }
}

void
fg_ops_begin (fg_ops_t *self, fg_op_kind_t kind, const char *table,
              const char *group, uint64_t row_id, uint64_t anchor)
{
    if (self->count == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 8;
        self->ops = (s_op_t **) realloc (self->ops, self->cap * sizeof (s_op_t *));
        assert (self->ops);
    }
    s_op_t *op = (s_op_t *) zmalloc (sizeof (s_op_t));
    assert (op);
    op->kind = kind;
    op->table = strdup (table ? table : "");
    op->group = strdup (group ? group : "");
    op->row_id = row_id;
    op->anchor = anchor;
    self->ops [self->count++] = op;
}

static s_field_t *
s_field_slot (fg_ops_t *self, const char *name)
{
    assert (self->count > 0);       //  fg_ops_begin first
    s_op_t *op = self->ops [self->count - 1];
    for (size_t i = 0; i < op->field_count; i++)
        if (streq (op->fields [i].name, name)) {
            char *keep = op->fields [i].name;
            op->fields [i].name = NULL;
            s_field_clear (&op->fields [i]);
            op->fields [i].name = keep;
            return &op->fields [i];
        }
    if (op->field_count == FG_OP_MAX_FIELDS + 1) {
        op->overflow = true;
        return NULL;
    }
    s_field_t *field = &op->fields [op->field_count++];
    field->name = strdup (name);
    return field;
}

void
fg_ops_set_int (fg_ops_t *self, const char *name, int64_t value)
{
    s_field_t *field = s_field_slot (self, name);
    if (field) {
        field->type = FG_VAL_INT;
        field->i = value;
    }
}

//  A text or blob field: a copy of the bytes.
static void
s_set_bytes (fg_ops_t *self, const char *name, fg_val_type_t type, const void *data, size_t size)
{
    s_field_t *field = s_field_slot (self, name);
    if (field) {
        field->type = type;
        field->data = (uint8_t *) malloc (size ? size : 1);
        assert (field->data);
        if (size)
            memcpy (field->data, data, size);
        field->size = size;
    }
}

void
fg_ops_set_blob (fg_ops_t *self, const char *name, const void *data, size_t size)
{
    s_set_bytes (self, name, FG_VAL_BLOB, data, size);
}

void
fg_ops_set_text (fg_ops_t *self, const char *name, const char *value)
{
    s_set_bytes (self, name, FG_VAL_TEXT, value, strlen (value));
}

void
fg_ops_set_null (fg_ops_t *self, const char *name)
{
    s_field_t *field = s_field_slot (self, name);
    if (field)
        field->type = FG_VAL_NULL;
}

static int
s_field_compare (const void *a, const void *b)
{
    return strcmp (((const s_field_t *) a)->name, ((const s_field_t *) b)->name);
}

uint8_t *
fg_ops_encode (fg_ops_t *self, size_t *size_p, char *errbuf, size_t errsize)
{
    *size_p = 0;
    if (self->count < 1 || self->count > FG_OPS_MAX) {
        snprintf (errbuf, errsize, "a payload holds 1 to %d operations, not %zu",
                  FG_OPS_MAX, self->count);
        return NULL;
    }
    //  Validate and size
    size_t size = 2;
    for (size_t i = 0; i < self->count; i++) {
        s_op_t *op = self->ops [i];
        if (op->overflow || op->field_count > FG_OP_MAX_FIELDS) {
            snprintf (errbuf, errsize, "an operation holds at most %d fields", FG_OP_MAX_FIELDS);
            return NULL;
        }
        if (!fg_name_valid (op->table) || (*op->group && !fg_name_valid (op->group))) {
            snprintf (errbuf, errsize, "invalid table or group name '%s' '%s'", op->table, op->group);
            return NULL;
        }
        qsort (op->fields, op->field_count, sizeof (s_field_t), s_field_compare);
        size += 1 + 1 + strlen (op->table) + 1 + strlen (op->group) + 8 + 8 + 2;
        for (size_t f = 0; f < op->field_count; f++) {
            s_field_t *field = &op->fields [f];
            if (!fg_name_valid (field->name)) {
                snprintf (errbuf, errsize, "invalid field name '%s'", field->name);
                return NULL;
            }
            if (field->type == FG_VAL_TEXT && !fg_utf8_valid (field->data, field->size)) {
                snprintf (errbuf, errsize, "field '%s' is not valid UTF-8 text", field->name);
                return NULL;
            }
            if (field->size > UINT32_MAX) {
                snprintf (errbuf, errsize, "field '%s' is too large", field->name);
                return NULL;
            }
            size += 1 + strlen (field->name) + 1;
            size += field->type == FG_VAL_INT ? 8
                  : field->type == FG_VAL_NULL ? 0 : 4 + field->size;
        }
    }
    uint8_t *bytes = (uint8_t *) malloc (size);
    assert (bytes);
    uint8_t *p = bytes;
    fg_put16 (p, (uint16_t) self->count);
    p += 2;
    for (size_t i = 0; i < self->count; i++) {
        s_op_t *op = self->ops [i];
        *p++ = (uint8_t) op->kind;
        *p++ = (uint8_t) strlen (op->table);
        memcpy (p, op->table, strlen (op->table));
        p += strlen (op->table);
        *p++ = (uint8_t) strlen (op->group);
        memcpy (p, op->group, strlen (op->group));
        p += strlen (op->group);
        fg_put64 (p, op->row_id);
        p += 8;
        fg_put64 (p, op->anchor);
        p += 8;
        fg_put16 (p, (uint16_t) op->field_count);
        p += 2;
        for (size_t f = 0; f < op->field_count; f++) {
            s_field_t *field = &op->fields [f];
            *p++ = (uint8_t) strlen (field->name);
            memcpy (p, field->name, strlen (field->name));
            p += strlen (field->name);
            *p++ = (uint8_t) field->type;
            if (field->type == FG_VAL_INT) {
                fg_put64 (p, (uint64_t) field->i);
                p += 8;
            }
            else
            if (field->type != FG_VAL_NULL) {
                fg_put32 (p, (uint32_t) field->size);
                p += 4;
                if (field->size)
                    memcpy (p, field->data, field->size);
                p += field->size;
            }
        }
    }
    assert ((size_t) (p - bytes) == size);
    *size_p = size;
    return bytes;
}

void
fg_value_bind (sqlite3_stmt *stmt, int index, const fg_value_t *value)
{
    if (!value || value->type == FG_VAL_NULL)
        sqlite3_bind_null (stmt, index);
    else
    if (value->type == FG_VAL_INT)
        sqlite3_bind_int64 (stmt, index, value->i);
    else
    if (value->type == FG_VAL_TEXT)
        sqlite3_bind_text (stmt, index, (const char *) value->data, (int) value->size, SQLITE_STATIC);
    else
        sqlite3_bind_blob (stmt, index, value->data, (int) value->size, SQLITE_STATIC);
}
