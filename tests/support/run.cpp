#include "tests/support/run.hpp"

#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace cvg::test {

std::string convergent_binary() { return CONVERGENT_BINARY; }

RunResult run_convergent(const std::vector<std::string>& args, double timeout_s, const std::string& workdir) {
    std::vector<std::string> argv{convergent_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, timeout_s, workdir);
}

RunResult run_process(const std::vector<std::string>& argv_s, double timeout_s, const std::string& workdir,
                      const std::vector<std::string>& env) {
    int out_pipe[2], err_pipe[2];
    if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
    std::vector<char*> argv;
    for (auto& s : argv_s) argv.push_back(const_cast<char*>(s.c_str()));
    argv.push_back(nullptr);
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        if (!workdir.empty() && chdir(workdir.c_str()) != 0) _exit(127);
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        close(out_pipe[0]); close(err_pipe[0]); close(out_pipe[1]); close(err_pipe[1]);
        for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));
        execvp(argv[0], argv.data());
        _exit(127);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    RunResult r;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    int open_fds = 2;
    char buf[65536];
    while (open_fds > 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0) { r.timed_out = true; kill(pid, SIGKILL); break; }
        if (poll(fds, 2, static_cast<int>(left)) < 0) continue;
        for (int k = 0; k < 2; ++k) {
            if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP))) continue;
            ssize_t n = read(fds[k].fd, buf, sizeof buf);
            if (n <= 0) { close(fds[k].fd); fds[k].fd = -1; --open_fds; }
            else (k == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
        }
    }
    for (auto& f : fds) if (f.fd >= 0) close(f.fd);
    int status = 0;
    waitpid(pid, &status, 0);
    r.exit_code = (!r.timed_out && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
    return r;
}

}  // namespace cvg::test
