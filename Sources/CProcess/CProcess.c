#define _GNU_SOURCE
#include "CProcess.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int cprocess_spawn(pid_t *pid, const char *path, char *const argv[], const int *fds, int count,
                   int stdout_to_stderr, const char *directory) {
    return cprocess_spawn_io(pid, path, argv, fds, count, stdout_to_stderr ? 2 : -1, -1, directory);
}

int cprocess_spawn_io(pid_t *pid, const char *path, char *const argv[], const int *fds, int count,
                      int out_fd, int err_fd, const char *directory) {
    // Sources are moved above every target first, so a source numbered like a target
    // cannot be overwritten by an earlier dup2.
    enum { FIRST_TARGET = 3, SCRATCH = 64 };
    if (count < 0 || count > SCRATCH - FIRST_TARGET) return EINVAL;
    int scratch[SCRATCH];
    for (int i = 0; i < count; i++) {
        scratch[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, SCRATCH);
        if (scratch[i] < 0) {
            int err = errno;
            for (int j = 0; j < i; j++) close(scratch[j]);
            return err;
        }
    }
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int result = posix_spawn_file_actions_init(&actions);
    if (result != 0) goto close_scratch;
    result = posix_spawnattr_init(&attributes);
    if (result != 0) goto destroy_actions;

    // Each step's result is kept: a child spawned without one of them would hold the wrong fds.
    result = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    // fd 1 before fd 2: `out_fd` may be 2 (stdout to the parent's stderr).
    if (result == 0 && out_fd >= 0) result = posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
    if (result == 0 && err_fd >= 0) result = posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
    for (int i = 0; result == 0 && i < count; i++)
        result = posix_spawn_file_actions_adddup2(&actions, scratch[i], FIRST_TARGET + i);
    // Whatever else the parent has open (with or without O_CLOEXEC) stays behind.
    if (result == 0) result = posix_spawn_file_actions_addclosefrom_np(&actions, FIRST_TARGET + count);
    // A child of a cell starts in the cell's notebook folder, as a kernel's children do.
    if (result == 0 && directory) result = posix_spawn_file_actions_addchdir_np(&actions, directory);

    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    if (result == 0) result = posix_spawnattr_setsigmask(&attributes, &none);
    if (result == 0) result = posix_spawnattr_setsigdefault(&attributes, &all);
    if (result == 0) result = posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    if (result == 0) result = posix_spawn(pid, path, &actions, &attributes, argv, environ);

    posix_spawnattr_destroy(&attributes);
destroy_actions:
    posix_spawn_file_actions_destroy(&actions);
close_scratch:
    for (int i = 0; i < count; i++) close(scratch[i]);
    return result;
}

int cprocess_spawn_service(pid_t *pid, const char *path, char *const argv[], int output) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return errno;
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd < 0) {
        int err = errno;
        close(report[0]);
        close(report[1]);
        return err;
    }
    pid_t parent = getpid();
    pid_t child = fork();
    if (child < 0) {
        int err = errno;
        close(report[0]);
        close(report[1]);
        close(null_fd);
        return err;
    }
    if (child == 0) {
        int err = 0;
        if (setpgid(0, 0) != 0) err = errno;
        if (err == 0 && prctl(PR_SET_PDEATHSIG, (unsigned long)SIGKILL, 0UL, 0UL, 0UL) != 0) err = errno;
        if (err == 0 && getppid() != parent) _exit(127);  // the parent died before the line above
        sigset_t none;
        sigemptyset(&none);
        if (err == 0) sigprocmask(SIG_SETMASK, &none, NULL);
        for (int sig = 1; err == 0 && sig < NSIG; sig++) signal(sig, SIG_DFL);
        if (err == 0 && dup2(null_fd, 0) < 0) err = errno;
        if (err == 0 && dup2(output, 1) < 0) err = errno;
        if (err == 0 && dup2(output, 2) < 0) err = errno;
        if (err == 0) {
            int keep = report[1];
            // Every other fd goes; the report pipe is close-on-exec, so a successful exec closes it.
            for (int fd = 3; fd < keep; fd++) close(fd);
            close_range((unsigned)keep + 1, ~0U, 0);
            execv(path, argv);
            err = errno;
        }
        ssize_t written = write(report[1], &err, sizeof err);
        (void)written;
        _exit(127);
    }
    close(report[1]);
    close(null_fd);
    int err = 0;
    ssize_t got;
    do {
        got = read(report[0], &err, sizeof err);
    } while (got < 0 && errno == EINTR);
    close(report[0]);
    if (got == (ssize_t)sizeof err && err != 0) {
        waitpid(child, NULL, 0);  // it exited at once: reap it
        return err;
    }
    *pid = child;
    return 0;
}

int cprocess_set_parent_death_signal(int sig) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)sig, 0UL, 0UL, 0UL);
}

int cprocess_memfd(const char *name) {
    return memfd_create(name, MFD_CLOEXEC);
}

unsigned long cprocess_mutex_size(void) {
    return sizeof(pthread_mutex_t);
}

int cprocess_mutex_init(void *mutex) {
    pthread_mutexattr_t attributes;
    int result = pthread_mutexattr_init(&attributes);
    if (result != 0) return result;
    result = pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_RECURSIVE);  // Python's Value uses an RLock
    if (result == 0) result = pthread_mutexattr_setpshared(&attributes, PTHREAD_PROCESS_SHARED);
    // A killed holder can't wedge the rest.
    if (result == 0) result = pthread_mutexattr_setrobust(&attributes, PTHREAD_MUTEX_ROBUST);
    if (result == 0) result = pthread_mutex_init((pthread_mutex_t *)mutex, &attributes);
    pthread_mutexattr_destroy(&attributes);
    return result;
}

int cprocess_mutex_lock(void *mutex) {
    int result = pthread_mutex_lock((pthread_mutex_t *)mutex);
    if (result == EOWNERDEAD) result = pthread_mutex_consistent((pthread_mutex_t *)mutex);
    return result;
}

int cprocess_mutex_trylock(void *mutex) {
    int result = pthread_mutex_trylock((pthread_mutex_t *)mutex);
    if (result == EOWNERDEAD) result = pthread_mutex_consistent((pthread_mutex_t *)mutex);
    return result;
}

int cprocess_mutex_unlock(void *mutex) {
    return pthread_mutex_unlock((pthread_mutex_t *)mutex);
}
