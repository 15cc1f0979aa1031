/*  fgb_proc.h - what fugai-bench needs of the system: a clock, a scratch
    directory that goes away whatever happens, child processes that are
    always stopped, and free ports on 127.0.0.1. Bench code only.

    Problems: anything that makes a run worthless (a program that failed, a
    count that does not match) is reported with fgb_problem; the program
    exits non-zero when fgb_problems is not 0.
*/
#ifndef FGB_PROC_H_INCLUDED
#define FGB_PROC_H_INCLUDED

#include "fg_common.h"

//  Monotonic clock in seconds; a sleep that resumes after a signal.
double      fgb_now (void);
void        fgb_sleep (double seconds);

//  Lines on stderr: progress, and problems (counted).
void        fgb_progress (const char *format, ...) CHECK_PRINTF (1);
void        fgb_problem (const char *format, ...) CHECK_PRINTF (1);
int         fgb_problems (void);

//  Create /tmp/fugai-bench.XXXXXX and arrange that at exit, and on SIGINT,
//  SIGTERM, SIGHUP, SIGABRT, SIGSEGV or SIGBUS, every child still running
//  is stopped and the directory removed (unless keep). Call once. Returns
//  the path (static storage), or NULL if it cannot be created.
const char *fgb_scratch_create (bool keep);

//  A whole text file, NUL-terminated (caller frees), or NULL.
char       *fgb_read_text (const char *path);
//  Remove an SQLite file and the -wal and -shm files beside it.
void        fgb_remove_db (const char *path);

//  Start argv[0] with stdin from /dev/null and stdout and stderr appended
//  to log_path. The child gets SIGTERM should this process die before it
//  (PR_SET_PDEATHSIG). Returns its pid, or -1.
pid_t       fgb_spawn (char *const argv [], const char *log_path);
//  True (with its wait status) if a child has exited; it is then reaped.
bool        fgb_exited (pid_t pid, int *status_p);
//  SIGTERM, wait up to 5 s, then SIGKILL. Returns the wait status.
int         fgb_stop (pid_t pid);
//  Run a program to its end; the argument list ends with NULL. Returns 0
//  if it exited 0, else -1 and a problem that shows its output.
int         fgb_run (const char *log_path, const char *program, ...);
//  CPU seconds (user + system) a child has used so far.
double      fgb_cpu_seconds (pid_t pid);

//  A TCP port on 127.0.0.1 that nobody listens on now, or -1.
int         fgb_free_port (void);
//  Wait until something accepts TCP connections on 127.0.0.1:port. 0, or
//  -1 if the child `pid` exits first or `timeout` seconds pass.
int         fgb_wait_listening (int port, pid_t pid, double timeout);

#endif
