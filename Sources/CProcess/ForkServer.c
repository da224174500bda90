#define _GNU_SOURCE
#include "CProcess.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// One message of the fork server's protocol (a SOCK_SEQPACKET socket keeps them whole).
enum { HEADER = 4 * sizeof(int32_t), MAX_FDS = 63 };
typedef struct {
    int32_t kind, pid, value, length;
    char text[CPROCESS_FORK_TEXT];
} message;

static int send_message(int sock, int kind, int pid, int value, const char *text, int length, const int *fds,
                        int count) {
    if (length < 0 || length > CPROCESS_FORK_TEXT || count < 0 || count > MAX_FDS) return EINVAL;
    message m = {.kind = kind, .pid = pid, .value = value, .length = length};
    if (length > 0) memcpy(m.text, text, (size_t)length);
    struct iovec iov = {.iov_base = &m, .iov_len = HEADER + (size_t)length};
    union {
        char buffer[CMSG_SPACE(sizeof(int) * MAX_FDS)];
        struct cmsghdr align;
    } control;
    struct msghdr header = {.msg_iov = &iov, .msg_iovlen = 1};
    if (count > 0) {
        memset(&control, 0, sizeof control);
        header.msg_control = control.buffer;
        header.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)count);
        struct cmsghdr *cmsg = CMSG_FIRSTHDR(&header);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)count);
        memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * (size_t)count);
    }
    ssize_t sent;
    do {
        sent = sendmsg(sock, &header, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    return sent < 0 ? errno : 0;
}

// Receives one message and the fds that came with it (close-on-exec); 1, 0 at end of file,
// or -errno. Fds beyond `capacity`, or a truncated control part, fail with EMFILE.
static int receive_message(int sock, message *m, int *fds, int capacity, int *count) {
    struct iovec iov = {.iov_base = m, .iov_len = sizeof *m};
    union {
        char buffer[CMSG_SPACE(sizeof(int) * MAX_FDS)];
        struct cmsghdr align;
    } control;
    struct msghdr header = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buffer,
                            .msg_controllen = sizeof control.buffer};
    ssize_t got;
    do {
        got = recvmsg(sock, &header, MSG_CMSG_CLOEXEC);
    } while (got < 0 && errno == EINTR);
    if (got < 0) return -errno;
    if (got == 0) return 0;
    *count = 0;
    int overflow = (header.msg_flags & MSG_CTRUNC) != 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&header); c; c = CMSG_NXTHDR(&header, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        int *data = (int *)CMSG_DATA(c);
        for (int i = 0; i < n; i++) {
            if (*count < capacity) fds[(*count)++] = data[i];
            else {
                close(data[i]);
                overflow = 1;
            }
        }
    }
    if (got < (ssize_t)HEADER || m->length < 0 || (size_t)got < HEADER + (size_t)m->length) overflow = -1;
    if (overflow) {
        for (int i = 0; i < *count; i++) close(fds[i]);
        *count = 0;
        return overflow > 0 ? -EMFILE : -EPROTO;
    }
    return 1;
}

int cprocess_fork_server_send(int sock, int kind, int pid, const char *text, int length, const int *fds,
                              int count) {
    return send_message(sock, kind, pid, 0, text, length, fds, count);
}

int cprocess_fork_server_receive(int sock, int *kind, int *pid, int *value, int64_t *cpu_microseconds) {
    message m;
    int fds[MAX_FDS], count = 0;
    int got = receive_message(sock, &m, fds, MAX_FDS, &count);
    for (int i = 0; i < count; i++) close(fds[i]);  // the server sends none
    if (got == 1) {
        *kind = m.kind;
        *pid = m.pid;
        *value = m.value;
        *cpu_microseconds = 0;
        if (m.length == sizeof *cpu_microseconds) memcpy(cpu_microseconds, m.text, sizeof *cpu_microseconds);
    }
    return got;
}

// In a new child: what a spawned worker gets (cprocess_spawn_io), from the fds received.
static void become_child(pid_t server, int sock, int signals, int null_fd, int directory, int *fds, int count) {
    close(sock);
    close(signals);
    sigset_t none;
    sigemptyset(&none);
    for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
    sigprocmask(SIG_SETMASK, &none, NULL);
    // Dies with the server, which dies with nbrun; a server gone already means nbrun is too.
    if (prctl(PR_SET_PDEATHSIG, (unsigned long)SIGKILL, 0UL, 0UL, 0UL) != 0 || getppid() != server) _exit(1);
    if (directory >= 0 && fchdir(directory) != 0) _exit(127);
    enum { SCRATCH = 64 };
    int moved[MAX_FDS];
    for (int i = 0; i < count; i++) {
        moved[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, SCRATCH);
        if (moved[i] < 0) _exit(127);
    }
    // fds[0] and fds[1] become 1 and 2, the rest 3, 4, ...
    if (dup2(null_fd, 0) < 0) _exit(127);
    for (int i = 0; i < count; i++)
        if (dup2(moved[i], i + 1) < 0) _exit(127);
    close_range((unsigned)count + 1, ~0U, 0);
}

static int64_t microseconds(struct timeval time) {
    return (int64_t)time.tv_sec * 1000000 + time.tv_usec;
}

int cprocess_fork_server(int sock, char *text, int capacity, int *length) {
    sigset_t child_exits;
    sigemptyset(&child_exits);
    sigaddset(&child_exits, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, &child_exits, NULL) != 0) return errno;
    int signals = signalfd(-1, &child_exits, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signals < 0) return errno;
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd < 0) return errno;
    // A terminal's ^C reaches nbrun and the children, as before; the server stays for nbrun to end.
    signal(SIGINT, SIG_IGN);
    pid_t server = getpid();
    int err = send_message(sock, 'H', server, 0, NULL, 0, NULL, 0);
    if (err != 0) return err;

    // Children not yet reported exited. A reported child stays a zombie until nbrun says
    // 'R': while nbrun may still signal a pid, it cannot belong to anyone else.
    pid_t *running = NULL;
    size_t running_count = 0, running_capacity = 0;
    for (;;) {
        struct pollfd polled[2] = {{.fd = sock, .events = POLLIN}, {.fd = signals, .events = POLLIN}};
        if (poll(polled, 2, -1) < 0) {
            if (errno == EINTR) continue;
            _exit(3);
        }
        if (polled[1].revents) {
            struct signalfd_siginfo info;
            while (read(signals, &info, sizeof info) > 0) {
            }
            for (size_t i = 0; i < running_count;) {
                siginfo_t status = {0};
                struct rusage usage = {0};
                // The raw call: glibc's waitid has no rusage, which the kernel fills even with
                // WNOWAIT (the child's and its reaped children's, as reaping would count them).
                if (syscall(SYS_waitid, P_PID, (id_t)running[i], &status, WEXITED | WNOHANG | WNOWAIT, &usage) == 0 &&
                    status.si_pid == running[i]) {
                    int code = status.si_code == CLD_EXITED ? status.si_status : -status.si_status;
                    // The kernel's account of its CPU time, which nbrun cannot get by reaping it.
                    int64_t cpu = microseconds(usage.ru_utime) + microseconds(usage.ru_stime);
                    if (send_message(sock, 'X', running[i], code, (const char *)&cpu, sizeof cpu, NULL, 0) == EPIPE)
                        _exit(0);
                    running[i] = running[--running_count];
                } else {
                    i++;
                }
            }
        }
        if (!polled[0].revents) continue;
        message m;
        int fds[MAX_FDS], count = 0;
        int got = receive_message(sock, &m, fds, MAX_FDS, &count);
        if (got == 0 || got == -ECONNRESET) _exit(0);  // nbrun is gone: the children go too (PDEATHSIG)
        if (got < 0) {
            send_message(sock, 'E', 0, -got, NULL, 0, NULL, 0);
            continue;
        }
        if (m.kind == 'R') {
            waitpid(m.pid, NULL, WNOHANG);
            continue;
        }
        if (m.kind != 'F' || count < 2 || m.length < 1 || m.length > capacity) {
            for (int i = 0; i < count; i++) close(fds[i]);
            send_message(sock, 'E', 0, EINVAL, NULL, 0, NULL, 0);
            continue;
        }
        // text: the directory (empty: the server's), NUL, then the child's arguments.
        int directory = -1;
        if (m.text[0] != 0) {
            directory = open(m.text, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (directory < 0) err = errno;
        }
        if (running_count == running_capacity) {
            size_t grown = running_capacity ? running_capacity * 2 : 16;
            pid_t *more = realloc(running, grown * sizeof *running);
            if (more) {
                running = more;
                running_capacity = grown;
            }
        }
        pid_t child = -1;
        if (err == 0 && running_count == running_capacity) err = ENOMEM;
        if (err == 0) {
            child = fork();
            if (child < 0) err = errno;
        }
        if (child == 0) {
            free(running);
            become_child(server, sock, signals, null_fd, directory, fds, count);
            memcpy(text, m.text, (size_t)m.length);
            *length = m.length;
            return 0;
        }
        for (int i = 0; i < count; i++) close(fds[i]);
        if (directory >= 0) close(directory);
        if (err == 0) running[running_count++] = child;
        send_message(sock, err ? 'E' : 'P', child, err, NULL, 0, NULL, 0);
        err = 0;
    }
}

int cprocess_seqpacket_pair(int fds[2]) {
    return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) == 0 ? 0 : errno;
}
