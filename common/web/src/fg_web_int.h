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
} fg_web_req_t;

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
//  A cell of rows by column name (NULL if absent or null).
const char *fg_web__cell (const fg_rows_t *rows, size_t row, const char *name);
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
//  A form field's value (NULL if absent).
const char *fg_web__field (fg_web_req_t *req, const char *name);
//  True if the session's role may write.
bool        fg_web__may_write (fg_web_req_t *req);

#endif
