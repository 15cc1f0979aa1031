/*  fg_web_upload.c - a multipart/form-data body (a file chosen in a form:
    the CSV import, /import) parsed as it arrives by libmicrohttpd's post
    processor into its parts, each part's bytes kept whole (a file may be
    GBK, so it is not checked as UTF-8 here; the form's other fields are,
    as every urlencoded field is).

    Bounds: the body at most FG_WEB_UPLOAD_MAX bytes (the caller counts
    them; a Content-Length above it is refused before a byte is read), at
    most S_PARTS_MAX parts, each part's bytes within the body's. */
#include "fg_web_int.h"
#include "fg_util.h"
#include <microhttpd.h>

#define S_PARTS_MAX 32

typedef struct {
    char  *name;
    char  *data;                         //  NUL-ended for the text fields
    size_t size;
} s_part_t;

struct _fg_web_multipart_t {
    struct MHD_PostProcessor *processor;
    s_part_t parts [S_PARTS_MAX];
    size_t   count;
    bool     broken;                     //  too many parts, or malformed
};

static enum MHD_Result
s_iterate (void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
           const char *content_type, const char *transfer_encoding, const char *data,
           uint64_t offset, size_t size)
{
    fg_web_multipart_t *self = (fg_web_multipart_t *) cls;
    if (!key)
        return MHD_YES;
    s_part_t *part = self->count ? &self->parts [self->count - 1] : NULL;
    //  A part's first chunk comes at offset 0; later ones carry on its bytes
    if (!part || offset == 0 || !streq (part->name, key)) {
        if (self->count == S_PARTS_MAX) {
            self->broken = true;
            return MHD_NO;
        }
        part = &self->parts [self->count++];
        part->name = strdup (key);
        part->data = NULL;
        part->size = 0;
    }
    char *grown = (char *) realloc (part->data, part->size + size + 1);
    assert (grown);
    part->data = grown;
    memcpy (part->data + part->size, data, size);
    part->size += size;
    part->data [part->size] = 0;
    return MHD_YES;
}

fg_web_multipart_t *
fg_web__multipart_new (struct MHD_Connection *connection)
{
    fg_web_multipart_t *self = (fg_web_multipart_t *) zmalloc (sizeof (fg_web_multipart_t));
    assert (self);
    self->processor = MHD_create_post_processor (connection, 16 * 1024, s_iterate, self);
    if (!self->processor)
        self->broken = true;             //  no boundary: said when the page is answered
    return self;
}

void
fg_web__multipart_feed (fg_web_multipart_t *self, const char *data, size_t size)
{
    if (!self->broken && MHD_post_process (self->processor, data, size) != MHD_YES)
        self->broken = true;
}

void
fg_web__multipart_destroy (fg_web_multipart_t **self_p)
{
    fg_web_multipart_t *self = *self_p;
    if (!self)
        return;
    if (self->processor)
        MHD_destroy_post_processor (self->processor);
    for (size_t i = 0; i < self->count; i++) {
        free (self->parts [i].name);
        free (self->parts [i].data);
    }
    free (self);
    *self_p = NULL;
}

int
fg_web__multipart_form (fg_web_multipart_t *self, fg_web_req_t *req)
{
    if (self->broken)
        return -1;
    for (size_t i = 0; i < self->count; i++) {
        s_part_t *part = &self->parts [i];
        if (streq (part->name, "file"))
            continue;                    //  bytes: fg_web__upload
        if (strlen (part->data ? part->data : "") != part->size
        ||  !fg_utf8_valid ((const uint8_t *) (part->data ? part->data : ""), part->size))
            return -1;
        if (!zhashx_lookup (req->form, part->name))
            zhashx_insert (req->form, part->name, strdup (part->data ? part->data : ""));
    }
    req->multipart = self;
    return 0;
}

const char *
fg_web__upload (fg_web_req_t *req, const char *name, size_t *size_p)
{
    *size_p = 0;
    fg_web_multipart_t *self = req->multipart;
    for (size_t i = 0; self && i < self->count; i++)
        if (streq (self->parts [i].name, name)) {
            *size_p = self->parts [i].size;
            return self->parts [i].data ? self->parts [i].data : "";
        }
    return NULL;
}
