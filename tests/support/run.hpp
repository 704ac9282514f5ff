// Runs the real convergent binary for end-to-end tests: arguments, stdin, exit code, stdout,
// stderr, with a time limit (a hang is a failure, never a stuck test run).
#pragma once

#include <string>
#include <vector>

namespace cvg::test {

struct RunResult {
    int exit_code = -1;   // -1: killed by a signal or the time limit
    bool timed_out = false;
    std::string out, err;
};

RunResult run_convergent(const std::vector<std::string>& args, double timeout_s = 60.0,
                         const std::string& workdir = "");
// Any program (argv[0] is searched in PATH), with extra environment variables "NAME=value".
RunResult run_process(const std::vector<std::string>& argv, double timeout_s = 60.0, const std::string& workdir = "",
                      const std::vector<std::string>& env = {});

// Path of the binary under test (set by CMake).
std::string convergent_binary();

}  // namespace cvg::test
