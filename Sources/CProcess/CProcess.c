#define _GNU_SOURCE
#include "CProcess.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

extern char **environ;

int cprocess_spawn(pid_t *pid, const char *path, char *const argv[], const int *fds, int count,
                   int stdout_to_stderr) {
    return cprocess_spawn_io(pid, path, argv, fds, count, stdout_to_stderr ? 2 : -1, -1);
}

int cprocess_spawn_io(pid_t *pid, const char *path, char *const argv[], const int *fds, int count,
                      int out_fd, int err_fd) {
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
