/* An exec storm: WORKERS processes each fork and exec /bin/true in a loop for SECONDS seconds,
 * as fast as the machine allows. argv[1] of every exec is MARKER, so the execs can be counted
 * in any log. Prints the number of execs performed. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: exec-storm SECONDS WORKERS MARKER\n");
        return 2;
    }
    double seconds = atof(argv[1]);
    int workers = atoi(argv[2]);
    char *marker = argv[3];
    int fds[2];
    if (pipe(fds) != 0) return 1;
    for (int w = 0; w < workers; w++) {
        if (fork() == 0) {
            long count = 0;
            double end = now() + seconds;
            char *args[] = { "/bin/true", marker, NULL };
            char *env[] = { NULL };
            while (now() < end) {
                pid_t child = fork();
                if (child == 0) {
                    execve("/bin/true", args, env);
                    _exit(127);
                }
                if (child > 0) {
                    waitpid(child, NULL, 0);
                    count++;
                }
            }
            if (write(fds[1], &count, sizeof count) != sizeof count) _exit(1);
            _exit(0);
        }
    }
    long total = 0;
    for (int w = 0; w < workers; w++) {
        long count = 0;
        if (read(fds[0], &count, sizeof count) == sizeof count) total += count;
        wait(NULL);
    }
    printf("%ld\n", total);
    return 0;
}
