/*  fg_ops.h - the payload of an entry: a list of operations on rows.

    One entry carries the operations of one local transaction. The encoding
    is canonical: there is exactly one byte string for a given list of
    operations (fields sorted by name, no duplicates, fixed-width integers),
    and the decoder refuses every other string. Hubs never re-encode a
    payload; canonical form matters so that two authors writing the same
    thing write the same bytes, and so that a decoder cannot be fooled by
    two readings of one message.

    PAYLOAD = op_count:u16 (1..FG_OPS_MAX)  OP * op_count    (nothing after)
    OP      = kind:u8  table:NAME  group:NAME0  row_id:u64  anchor:u64
              field_count:u16 (0..FG_OP_MAX_FIELDS)  FIELD * field_count
    FIELD   = name:NAME  type:u8  value          (names strictly ascending)
    NAME    = len:u8 (1..32)  bytes [a-z][a-z0-9_]*
    NAME0   = len:u8 (0..32)  bytes              (empty when not used)
    value   = type 0 null: nothing | 1 int: i64 big-endian
            | 2 text: len:u32 UTF-8 bytes (no NUL) | 3 blob: len:u32 bytes
    All integers big-endian.

    anchor is the org code (fg_org.h) of the org unit the row belongs to:
    the village of a household, the township of a visit's household, the
    target of a directive. Scope checks and routing read it from the op
    header alone, so they never depend on which other rows have arrived.

    Kinds (their meaning per record class is in fg_schema.h):
      1 put     write fields of one field group of a registry/assignment row
      2 insert  create an event row (immutable)
      3 void    mark an event row void (fields: reason)
      4 meta    write a versioned metadata row (field "version" required)
*/
#ifndef FG_OPS_H_INCLUDED
#define FG_OPS_H_INCLUDED

#include "fg_common.h"

#define FG_OPS_MAX          1024
#define FG_OP_MAX_FIELDS    64
#define FG_NAME_MAX_LEN     32

typedef enum {
    FG_OP_PUT = 1,
    FG_OP_INSERT = 2,
    FG_OP_VOID = 3,
    FG_OP_META = 4
} fg_op_kind_t;

typedef enum {
    FG_VAL_NULL = 0,
    FG_VAL_INT = 1,
    FG_VAL_TEXT = 2,
    FG_VAL_BLOB = 3
} fg_val_type_t;

//  A value: a view into the payload (text is NOT NUL-terminated).
typedef struct {
    fg_val_type_t  type;
    int64_t        i;
    const uint8_t *data;
    size_t         size;
} fg_value_t;

typedef struct {
    char       name [FG_NAME_MAX_LEN + 1];
    fg_value_t value;
} fg_field_t;

//  A decoded operation, pointing into the bytes it was decoded from.
typedef struct {
    fg_op_kind_t   kind;
    char           table [FG_NAME_MAX_LEN + 1];
    char           group [FG_NAME_MAX_LEN + 1];
    uint64_t       row_id;
    uint64_t       anchor;           //  org code as an integer
    size_t         field_count;
    fg_field_t     fields [FG_OP_MAX_FIELDS];
    const uint8_t *bytes;            //  this op's own encoding
    size_t         size;
} fg_op_t;

//  Reading a payload, one op at a time.
typedef struct {
    const uint8_t *cursor;
    const uint8_t *end;
    size_t         remaining;        //  ops still to read
} fg_ops_reader_t;

//  Start reading a payload: 0, or -1 if the count is malformed.
int     fg_ops_reader_init (fg_ops_reader_t *reader, const uint8_t *payload, size_t size) FG_WARN_UNUSED;
//  Next op: 1 when *op is filled, 0 at a clean end, -1 when malformed
//  (including bytes left after the last op).
int     fg_ops_next (fg_ops_reader_t *reader, fg_op_t *op) FG_WARN_UNUSED;
//  Decode one op's own bytes (as stored): 0 or -1.
int     fg_op_decode (fg_op_t *op, const uint8_t *bytes, size_t size) FG_WARN_UNUSED;
//  A field of an op, or NULL if the op does not carry it.
const fg_value_t *fg_op_get (const fg_op_t *op, const char *name);
//  Bind a value (NULL or FG_VAL_NULL: SQL NULL) to a statement parameter;
//  text and blobs are bound SQLITE_STATIC: they must outlive the step.
void fg_value_bind (sqlite3_stmt *stmt, int index, const fg_value_t *value);
//  A text value as a fresh NUL-terminated string (caller frees); NULL if
//  the value is not text.
char   *fg_value_strdup (const fg_value_t *value);
//  True if name is a valid NAME.
bool    fg_name_valid (const char *name);
const char *fg_op_kind_name (fg_op_kind_t kind);

//  Building a payload.
typedef struct _fg_ops_t fg_ops_t;

fg_ops_t *fg_ops_new (void);
void      fg_ops_destroy (fg_ops_t **self_p);
//  Start a new op; following setters add fields to it.
void      fg_ops_begin (fg_ops_t *self, fg_op_kind_t kind, const char *table,
                        const char *group, uint64_t row_id, uint64_t anchor);
//  Set a field of the current op (a second set of one name replaces it).
void      fg_ops_set_int (fg_ops_t *self, const char *name, int64_t value);
void      fg_ops_set_text (fg_ops_t *self, const char *name, const char *value);
void      fg_ops_set_blob (fg_ops_t *self, const char *name, const void *data, size_t size);
void      fg_ops_set_null (fg_ops_t *self, const char *name);
//  Encode; returns a fresh buffer the caller frees, or NULL (with a reason
//  in errbuf) if a name, a text value, or a count is out of bounds.
uint8_t  *fg_ops_encode (fg_ops_t *self, size_t *size_p, char *errbuf, size_t errsize);

#endif
