// Process primitives Swift cannot call directly (variadic prctl, glibc's *_np spawn actions)
// or that must be exact about flags: spawning with only chosen fds, memfd, process-shared mutexes.
#ifndef CPROCESS_H
#define CPROCESS_H

#include <stdint.h>
#include <sys/types.h>

/// Spawns `path` with `argv` and the current environment. The child gets /dev/null as stdin,
/// the parent's stdout (or its stderr when `stdout_to_stderr`) and stderr, `fds[i]` as fd 3+i,
/// and no other fd; its signal mask is empty and every signal has its default action.
/// It starts in `directory` when that is not NULL (`path` must then be absolute).
/// Returns 0 or the errno value of the first step that failed.
int cprocess_spawn(pid_t *pid, const char *path, char *const argv[], const int *fds, int count,
                   int stdout_to_stderr, const char *directory);

/// Starts a long-running service: fork, then in the child (async-signal-safe calls only) a
/// process group of its own (so a terminal's ^C reaches nbrun alone, and the group can be
/// stopped as one), SIGKILL when the spawning thread dies (PR_SET_PDEATHSIG; checked against
/// a parent that died before it was set), no signal blocked or handled, /dev/null as stdin,
/// `output` as stdout and stderr, no other fd, then execv(path, argv). Returns 0 or the errno
/// value of the step that failed (an exec failure included: it is sent back on a pipe).
int cprocess_spawn_service(pid_t *pid, const char *path, char *const argv[], int output);

/// `cprocess_spawn` with the child's fd 1 and fd 2 taken from `out_fd` and `err_fd` (-1: the
/// parent's own), e.g. the write ends of pipes the parent reads the child's output from.
int cprocess_spawn_io(pid_t *pid, const char *path, char *const argv[], const int *fds, int count,
                      int out_fd, int err_fd, const char *directory);

/// prctl(PR_SET_PDEATHSIG, sig): this process gets `sig` when its parent thread exits.
int cprocess_set_parent_death_signal(int sig);

/// memfd_create(name, MFD_CLOEXEC); -1 with errno on failure.
int cprocess_memfd(const char *name);

/// Size the caller must reserve for a shared mutex.
unsigned long cprocess_mutex_size(void);

/// Initialises a recursive, robust, process-shared mutex at `mutex`. Returns 0 or an errno value.
int cprocess_mutex_init(void *mutex);

/// Locks; if the previous owner died holding it, takes it over and makes it consistent.
int cprocess_mutex_lock(void *mutex);

/// As `cprocess_mutex_lock`, but EBUSY at once when another thread or process holds it.
int cprocess_mutex_trylock(void *mutex);

int cprocess_mutex_unlock(void *mutex);

/// The fork server (ForkServer.swift): a single-threaded worker process that forks ready
/// workers, as Python's `forkserver` start method does, so a child costs a fork instead of an
/// exec of the whole program. Protocol messages on a SOCK_SEQPACKET socket: 'H' hello (server
/// pid), 'F' fork (text: directory, NUL, the child's arguments NUL-separated; fds: the child's
/// stdout, stderr, then its fds 3, 4, ...), 'P' started (pid) or 'E' failed (errno), 'X' exited
/// (pid, Python's exitcode, its CPU time), 'R' reap (pid: nbrun will not signal it again).
enum { CPROCESS_FORK_TEXT = 4000 };

/// Runs the fork server on `sock` (first sending 'H'). Returns only in a forked child, 0, with
/// the request's text in `text` (`*length` bytes), its fds in place (/dev/null as stdin), its
/// signal mask empty, every signal default, SIGKILL when the server dies (PR_SET_PDEATHSIG),
/// in the request's directory; or an errno value at once when the server cannot start. The
/// server exits when `sock` reaches end of file.
int cprocess_fork_server(int sock, char *text, int capacity, int *length);

/// Sends one message (`kind` 'F' or 'R') with `fds` attached. Returns 0 or an errno value.
int cprocess_fork_server_send(int sock, int kind, int pid, const char *text, int length, const int *fds,
                              int count);

/// Receives one message from the server: 1, 0 at end of file, or minus an errno value. An 'X'
/// comes with the child's user and system CPU time (the kernel's account).
int cprocess_fork_server_receive(int sock, int *kind, int *pid, int *value, int64_t *cpu_microseconds);

/// A connected pair of close-on-exec SOCK_SEQPACKET Unix sockets in `fds`; 0 or an errno value.
int cprocess_seqpacket_pair(int fds[2]);

#endif
