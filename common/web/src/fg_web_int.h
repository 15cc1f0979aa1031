/*  fg_web_int.h - what the console's files share: the server, a request
    being answered, HTML helpers and the labels of both languages. */
#ifndef FG_WEB_INT_H_INCLUDED
#define FG_WEB_INT_H_INCLUDED

#include "fg_web.h"
#include "fg_site.h"
#include "fg_rows.h"
#include "fg_schema.h"

typedef struct {
    char    token [65];                  //  hex of 32 random bytes: the cookie
    char    csrf [65];                   //  hex of 32 random bytes: every form's
    char    user [65];                   //  "" before login
    char    role [16];
    int64_t expires;                     //  ms since epoch
} fg_web_session_t;

typedef struct {
    char      *dir;
    fg_site_t  site;                     //  config, keys, replica (this actor's own)
    bool       open;
    zhashx_t  *sessions;                 //  token -> fg_web_session_t (owned)
    uint64_t   served;                   //  requests answered
    struct _fg_findings_t *findings;     //  the last findings evaluated (owned), and
    char       findings_key [96];        //  what they were: rule|org|day,
    uint64_t   findings_lsn;             //  the replica's last lsn then,
    int64_t    findings_at;              //  when (ms since epoch),
    int64_t    findings_ms;              //  and how long they took
} fg_web_t;

typedef struct {
    fg_web_t         *web;
    struct MHD_Connection *connection;
    const char       *method;
    const char       *url;
    bool              post;
    zhashx_t         *form;              //  POST fields, decoded (owned)
    fg_web_session_t *session;           //  NULL: none
    bool              en;                //  English asked for
    //  The answer being built
    FILE             *out;
    char             *body;
    size_t            size;
    unsigned          status;
    char             *location;          //  a redirect, or NULL
    char             *cookies [3];
    const char       *content_type;
    struct _fg_web_multipart_t *multipart;   //  a multipart body's parts (borrowed), or NULL
} fg_web_req_t;

//  A multipart/form-data body (fg_web_upload.c), parsed as it arrives
typedef struct _fg_web_multipart_t fg_web_multipart_t;
fg_web_multipart_t *fg_web__multipart_new (struct MHD_Connection *connection);
void        fg_web__multipart_feed (fg_web_multipart_t *self, const char *data, size_t size);
void        fg_web__multipart_destroy (fg_web_multipart_t **self_p);
//  Its text fields into req->form (UTF-8 checked), its parts kept for
//  fg_web__upload; -1 if malformed
int         fg_web__multipart_form (fg_web_multipart_t *self, fg_web_req_t *req);
//  The bytes of part `name` of a multipart body (borrowed), or NULL
const char *fg_web__upload (fg_web_req_t *req, const char *name, size_t *size_p);

//  HTML out (fg_web_html.c)
//  Text escaped for HTML (& < > " ').
void        fg_web__esc (fg_web_req_t *req, const char *text);
void        fg_web__printf (fg_web_req_t *req, const char *format, ...) CHECK_PRINTF (2);
//  The label of a key (a column, an enum value, a word) in the request's
//  language; the key itself when there is none.
const char *fg_web__t (fg_web_req_t *req, const char *key);
//  The page's head, header and navigation; and its end.
void        fg_web__head (fg_web_req_t *req, const char *title);
void        fg_web__foot (fg_web_req_t *req);
//  The hidden CSRF field of a form.
void        fg_web__csrf (fg_web_req_t *req);
//  Rows as a table; a column named `link_column` links to link_prefix + cell.
void        fg_web__table (fg_web_req_t *req, const fg_rows_t *rows, const char *link_column,
                           const char *link_prefix, const char *empty);
//  The same, at most `max` rows (the caller says how many were left out).
//  A section: the heading (a label key), then rows as a table ("none" if
//  empty) or err if rows is NULL; rows is destroyed here
void        fg_web__section (fg_web_req_t *req, const char *heading, fg_rows_t *rows, const char *err);
void        fg_web__table_max (fg_web_req_t *req, const fg_rows_t *rows, size_t max, const char *empty);
//  Rows that carry a report's metadata (label.LANG.COLUMN headings,
//  value.LANG.VALUE labels when value_labels is set, total_row): a table
//  of class css_class, at most max rows (and the total); with
//  link_prefix, the `name` cell of each unit links to link_prefix + its
//  `code` + link_suffix (the drill-down).
void        fg_web__report_table (fg_web_req_t *req, const fg_rows_t *rows, const char *css_class,
                                  const char *link_prefix, const char *link_suffix, size_t max);
//  A cell of rows by column name (NULL if absent or null).
const char *fg_web__cell (const fg_rows_t *rows, size_t row, const char *name);
//  A paragraph saying what went wrong (a replica's message: escaped, it
//  may quote a record's value).
void        fg_web__error (fg_web_req_t *req, const char *text);
//  An error page.
void        fg_web__fail (fg_web_req_t *req, unsigned status, const char *zh, const char *en);
//  The stylesheet.
extern const char *fg_web__css;

//  Pages (fg_web_pages.c, fg_web_operator.c)
void fg_web__page_home (fg_web_req_t *req);
void fg_web__page_household (fg_web_req_t *req, uint64_t id);
void fg_web__page_visit (fg_web_req_t *req, uint64_t id);
void fg_web__page_worklist (fg_web_req_t *req);
void fg_web__page_ack (fg_web_req_t *req);
void fg_web__page_operator (fg_web_req_t *req);
//  Oversight (fg_web_oversight.c): the reports, the findings, the
//  drill-down, the directives issued and their acknowledgements
void fg_web__page_oversight (fg_web_req_t *req);
void fg_web__page_report (fg_web_req_t *req, const char *name);
void fg_web__page_findings (fg_web_req_t *req);
void fg_web__page_org (fg_web_req_t *req, const char *code);
void fg_web__page_directives (fg_web_req_t *req);
//  The county's pairing plan: dry run, review by township and village,
//  publish after confirmation (fg_web_plan.c)
void fg_web__page_plan (fg_web_req_t *req);
//  Proposals held here: pending ones decided by a reviewer, decided ones
//  apart (fg_web_proposals.c); how many are pending (the header's count)
void   fg_web__page_proposals (fg_web_req_t *req);
size_t fg_web__proposals_pending (fg_web_req_t *req);
//  A CSV file into a table: preview, every error, then confirm (fg_web_import.c)
void   fg_web__page_import (fg_web_req_t *req);
//  Forms made from the catalogue (fg_web_pages.c): one field of a table,
//  what was typed, what will be written, and why it was refused.
typedef struct {
    const fg_column_t *column;
    const char        *typed;            //  borrowed from the form, or a default
    char              *value;            //  what is written (owned), NULL if empty
    char               error [512];
} fg_web_field_t;
#define FG_WEB_FIELDS_MAX 32
//  An <option>, selected when typed equals value.
void        fg_web__option (fg_web_req_t *req, const char *value, const char *label, const char *typed);
//  The field's label and input (a select for enums and booleans, and for
//  cadre_id / trigger_id from those rows when given; a textarea for notes,
//  problems_raised and body; a date input for dates), what was typed kept,
//  its error beside it.
void        fg_web__input (fg_web_req_t *req, fg_web_field_t *field, const fg_rows_t *cadres,
                           const fg_rows_t *triggers);
//  Check the field as the write will (money typed in yuan): fills
//  field->value, or field->error.
void        fg_web__check_field (fg_web_req_t *req, fg_web_field_t *field);
//  A form field's value (NULL if absent).
const char *fg_web__field (fg_web_req_t *req, const char *name);
//  True if the session's role may write (clerk, admin).
bool        fg_web__may_write (fg_web_req_t *req);
//  True if the session's role may issue directives (reviewer, admin).
bool        fg_web__may_direct (fg_web_req_t *req);
//  Today, days since 1970-01-01 (UTC).
int64_t     fg_web__today (void);

//  The clerk's casework (fg_web_clerk.c): assistance, appeals and their
//  transitions, publicity events, the household page's sections of them,
//  the worklist's must-visits and proposals refused above; and the labels
//  of their words (fg_web__t asks them last; NULL if none).
void fg_web__page_assistance (fg_web_req_t *req, uint64_t id);
void fg_web__page_appeal_new (fg_web_req_t *req, uint64_t id);
void fg_web__page_appeal (fg_web_req_t *req, uint64_t id);
void fg_web__page_publicity (fg_web_req_t *req);
void fg_web__household_casework (fg_web_req_t *req, uint64_t id);
void fg_web__worklist_casework (fg_web_req_t *req);
const char *fg_web__casework_label (bool en, const char *key);

#endif
