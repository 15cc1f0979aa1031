/*  fgc.h - shared parts of the operator command `fugai`.

    Every command gets a context: the node directory (-C), the operator's
    name (--as, $FUGAI_OPERATOR or $USER: it is recorded as the author of
    every write), the output format (--json, --csv; a human table by
    default) and, once fgc_open has run, the node's config, keys and
    replica. Commands return an exit code:
        0 done   1 refused (the message says why)   2 bad usage
        3 the node directory or replica cannot be used
*/
#ifndef FGC_H_INCLUDED
#define FGC_H_INCLUDED

#include "fg_config.h"
#include "fg_keys.h"
#include "fg_replica.h"
#include "fg_record.h"
#include "fg_schema.h"
#include "fg_programme.h"
#include "fg_directive.h"
#include "fg_render.h"
#include "fg_util.h"


typedef struct {
    const char   *dir;
    char          author [FG_ENTRY_AUTHOR_MAX + 1];
    fg_format_t  format;
    bool          no_bom;      //  --no-bom: CSV without the UTF-8 byte order mark
    fg_config_t  *config;
    fg_keys_t    *keys;
    fg_replica_t *replica;
} fgc_t;

#define FGC_OK       0
#define FGC_REFUSED  1
#define FGC_USAGE    2
#define FGC_BROKEN   3

//  Open the node in ctx->dir (config, replica; keys when `write`).
int   fgc_open (fgc_t *ctx, bool write);
void  fgc_close (fgc_t *ctx);
//  Print an error to stderr, prefixed "fugai: ", and return `code`.
int   fgc_fail (int code, const char *format, ...) CHECK_PRINTF (2);
//  main hands a command its argv as COMMAND POSITIONAL... --option VALUE...
//  (getopt_long has parsed --opt=value, --opt value, options anywhere).
//  Find "--name VALUE" in argv (removing both); NULL if absent.
const char *fgc_option (int *argc, char **argv, const char *name);
//  Find a "--flag" in argv (removing it).
bool  fgc_flag (int *argc, char **argv, const char *name);
//  Parse an integer argument (digits, an optional minus) within min..max
//  into *value_p; FGC_OK, or FGC_USAGE with a message naming `what`.
int   fgc_number (const char *what, const char *text, int64_t min, int64_t max, int64_t *value_p);
//  A node id argument (1..65535); FGC_OK or FGC_USAGE with a message.
int   fgc_node_id (const char *text, uint16_t *id_p);
//  Write this node's acknowledgement of a directive (state received,
//  applied, completed or refused; reason and result_ref may be NULL).
//  FGC_OK or FGC_REFUSED, with the message said.
int   fgc_ack (fgc_t *ctx, const char *directive, const char *state, const char *reason,
               const char *result_ref);

//  Print rows in the command's format (flags: FG_RENDER_*): CSV with a
//  UTF-8 BOM unless --no-bom; a human table through a pager ($PAGER,
//  default less -FRX) when stdout is a terminal and the table is longer
//  than the screen.
void  fgc_print (fgc_t *ctx, const fg_rows_t *rows, unsigned flags);

//  Commands
int   fgc_init (fgc_t *ctx, int argc, char **argv);
int   fgc_enroll (fgc_t *ctx, int argc, char **argv);
int   fgc_trust (fgc_t *ctx, int argc, char **argv);
int   fgc_revoke (fgc_t *ctx, int argc, char **argv);
int   fgc_epoch (fgc_t *ctx, int argc, char **argv);
int   fgc_rebuild (fgc_t *ctx, int argc, char **argv);
int   fgc_resync (fgc_t *ctx, int argc, char **argv);
int   fgc_restore (fgc_t *ctx, int argc, char **argv);
int   fgc_backup (fgc_t *ctx, int argc, char **argv);
int   fgc_rekey (fgc_t *ctx, int argc, char **argv);
int   fgc_statement (fgc_t *ctx, int argc, char **argv);
int   fgc_check (fgc_t *ctx, int argc, char **argv);
int   fgc_schema (fgc_t *ctx, int argc, char **argv);
int   fgc_add (fgc_t *ctx, int argc, char **argv);
int   fgc_set (fgc_t *ctx, int argc, char **argv);
int   fgc_void (fgc_t *ctx, int argc, char **argv);
int   fgc_import (fgc_t *ctx, int argc, char **argv);
int   fgc_directive (fgc_t *ctx, int argc, char **argv);
int   fgc_list (fgc_t *ctx, int argc, char **argv);
int   fgc_show (fgc_t *ctx, int argc, char **argv);
int   fgc_status (fgc_t *ctx, int argc, char **argv);
int   fgc_quarantine (fgc_t *ctx, int argc, char **argv);
int   fgc_proposals (fgc_t *ctx, int argc, char **argv);
int   fgc_digest (fgc_t *ctx, int argc, char **argv);
int   fgc_log (fgc_t *ctx, int argc, char **argv);
int   fgc_bundle (fgc_t *ctx, int argc, char **argv);
int   fgc_plan (fgc_t *ctx, int argc, char **argv);
int   fgc_report (fgc_t *ctx, int argc, char **argv);
int   fgc_submission (fgc_t *ctx, int argc, char **argv);
int   fgc_user (fgc_t *ctx, int argc, char **argv);
int   fgc_findings (fgc_t *ctx, int argc, char **argv);
int   fgc_worklist (fgc_t *ctx, int argc, char **argv);

#endif
