/*  fgb_proc.c - clock, scratch directory, child processes, ports for
    fugai-bench (see fgb_proc.h).

    Every child started here is remembered until it is reaped, so that the
    exit handler and the signal handlers can stop what is still running.
    The signal handlers use only async-signal-safe calls (kill, waitpid,
    fork, execvp, _exit, signal, raise).
*/
#include "fgb_proc.h"
#include "fg_util.h"
#include <signal.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#define S_MAX_CHILDREN 128

static pid_t s_children [S_MAX_CHILDREN];
static char  s_scratch [64];
static bool  s_keep;
static int   s_problem_count;

double
fgb_now (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

void
fgb_sleep (double seconds)
{
    if (seconds <= 0)
        return;
    struct timespec ts = { (time_t) seconds, (long) ((seconds - (double) (time_t) seconds) * 1e9) };
    while (nanosleep (&ts, &ts) && errno == EINTR) { }
}

//  A line on stderr: "fugai-bench: ", what, the formatted text.
static void
s_line (const char *what, const char *format, va_list args) __attribute__ ((format (printf, 2, 0)));
static void
s_line (const char *what, const char *format, va_list args)
{
    fprintf (stderr, "fugai-bench: %s", what);
    vfprintf (stderr, format, args);
    fprintf (stderr, "\n");
}

void
fgb_progress (const char *format, ...)
{
    va_list args;
    va_start (args, format);
    s_line ("", format, args);
    va_end (args);
}

void
fgb_problem (const char *format, ...)
{
    va_list args;
    va_start (args, format);
    s_line ("PROBLEM: ", format, args);
    va_end (args);
    s_problem_count++;
}

int
fgb_problems (void)
{
    return s_problem_count;
}

char *
fgb_read_text (const char *path)
{
    size_t size;
    return (char *) fg_file_read (path, &size);
}

void
fgb_remove_db (const char *path)
{
    char *wal = fg_strdupf ("%s-wal", path), *shm = fg_strdupf ("%s-shm", path);
    unlink (path);
    unlink (wal);
    unlink (shm);
    free (wal);
    free (shm);
}

//  --------------------------------------------------------------------------
//  Scratch directory and clean-up

static void
s_remove_scratch (void)
{
    if (!s_scratch [0] || s_keep)
        return;
    pid_t pid = fork ();
    if (pid == 0) {
        char *argv [] = { "rm", "-rf", s_scratch, NULL };
        execvp ("rm", argv);
        _exit (127);
    }
    if (pid > 0)
        waitpid (pid, NULL, 0);
}

static void
s_forget (pid_t pid)
{
    for (size_t i = 0; i < S_MAX_CHILDREN; i++)
        if (s_children [i] == pid)
            s_children [i] = 0;
}

static void
s_on_exit (void)
{
    for (size_t i = 0; i < S_MAX_CHILDREN; i++)
        if (s_children [i] > 0)
            fgb_stop (s_children [i]);
    s_remove_scratch ();
}

static void
s_on_signal (int sig)
{
    for (size_t i = 0; i < S_MAX_CHILDREN; i++)
        if (s_children [i] > 0) {
            kill (s_children [i], SIGKILL);
            waitpid (s_children [i], NULL, 0);
        }
    s_remove_scratch ();
    signal (sig, SIG_DFL);
    raise (sig);
}

const char *
fgb_scratch_create (bool keep)
{
    assert (!s_scratch [0]);
    s_keep = keep;
    strcpy (s_scratch, "/tmp/fugai-bench.XXXXXX");
    if (!mkdtemp (s_scratch)) {
        s_scratch [0] = 0;
        return NULL;
    }
    //  Our handlers, not CZMQ's (which would only set zsys_interrupted)
    zsys_handler_set (NULL);
    atexit (s_on_exit);
    int signals [] = { SIGINT, SIGTERM, SIGHUP, SIGABRT, SIGSEGV, SIGBUS };
    for (size_t i = 0; i < sizeof signals / sizeof signals [0]; i++)
        signal (signals [i], s_on_signal);
    return s_scratch;
}

//  --------------------------------------------------------------------------
//  Child processes

pid_t
fgb_spawn (char *const argv [], const char *log_path)
{
    pid_t pid = fork ();
    if (pid == 0) {
        prctl (PR_SET_PDEATHSIG, SIGTERM);
        int in = open ("/dev/null", O_RDONLY);
        int out = open (log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (in < 0 || out < 0)
            _exit (126);
        dup2 (in, 0);
        dup2 (out, 1);
        dup2 (out, 2);
        execv (argv [0], argv);
        _exit (127);
    }
    if (pid < 0) {
        fgb_problem ("cannot fork: %s", strerror (errno));
        return -1;
    }
    for (size_t i = 0; i < S_MAX_CHILDREN; i++)
        if (s_children [i] == 0) {
            s_children [i] = pid;
            break;
        }
    return pid;
}

bool
fgb_exited (pid_t pid, int *status_p)
{
    int status = 0;
    if (pid <= 0 || waitpid (pid, &status, WNOHANG) != pid)
        return false;
    s_forget (pid);
    if (status_p)
        *status_p = status;
    return true;
}

int
fgb_stop (pid_t pid)
{
    if (pid <= 0)
        return 0;
    kill (pid, SIGTERM);
    int status = 0;
    double until = fgb_now () + 5;
    while (waitpid (pid, &status, WNOHANG) == 0) {
        if (fgb_now () > until) {
            kill (pid, SIGKILL);
            waitpid (pid, &status, 0);
            break;
        }
        fgb_sleep (0.005);
    }
    s_forget (pid);
    return status;
}

int
fgb_run (const char *log_path, const char *program, ...)
{
    char *argv [32];
    size_t argc = 0;
    argv [argc++] = (char *) program;
    va_list args;
    va_start (args, program);
    char *arg;
    while ((arg = va_arg (args, char *)) && argc < 31)
        argv [argc++] = arg;
    va_end (args);
    argv [argc] = NULL;
    pid_t pid = fgb_spawn (argv, log_path);
    if (pid < 0)
        return -1;
    int status = 0;
    waitpid (pid, &status, 0);
    s_forget (pid);
    if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
        return 0;
    char *text = fgb_read_text (log_path);
    fgb_problem ("%s %s %s failed (status %d); output so far:\n%s", program,
                 argc > 1 ? argv [1] : "", argc > 2 ? argv [2] : "", status, text ? text : "(none)");
    free (text);
    return -1;
}

double
fgb_cpu_seconds (pid_t pid)
{
    char path [64];
    snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
    char *text = fgb_read_text (path);
    if (!text)
        return 0;
    //  Fields 14 and 15 (utime, stime); count from the ')' that ends the
    //  command name, which may itself hold spaces
    char *cursor = strrchr (text, ')');
    unsigned long utime = 0, stime = 0;
    if (cursor)
        sscanf (cursor + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime);
    free (text);
    return (double) (utime + stime) / (double) sysconf (_SC_CLK_TCK);
}

//  --------------------------------------------------------------------------
//  Ports

static void
s_loopback (struct sockaddr_in *addr, int port)
{
    memset (addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    addr->sin_port = htons ((uint16_t) port);
}

int
fgb_free_port (void)
{
    int sock = socket (AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    s_loopback (&addr, 0);
    socklen_t size = sizeof addr;
    int port = -1;
    if (sock >= 0 && bind (sock, (struct sockaddr *) &addr, sizeof addr) == 0
    &&  getsockname (sock, (struct sockaddr *) &addr, &size) == 0)
        port = ntohs (addr.sin_port);
    if (sock >= 0)
        close (sock);
    return port;
}

int
fgb_wait_listening (int port, pid_t pid, double timeout)
{
    struct sockaddr_in addr;
    s_loopback (&addr, port);
    double until = fgb_now () + timeout;
    while (fgb_now () < until) {
        int sock = socket (AF_INET, SOCK_STREAM, 0);
        int rc = sock >= 0 ? connect (sock, (struct sockaddr *) &addr, sizeof addr) : -1;
        if (sock >= 0)
            close (sock);
        if (rc == 0)
            return 0;
        //  Exited? Look without reaping: the caller reports it
        siginfo_t info;
        memset (&info, 0, sizeof info);
        if (waitid (P_PID, (id_t) pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid)
            return -1;
        fgb_sleep (0.002);
    }
    return -1;
}
