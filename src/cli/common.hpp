// Shared pieces of the command line: errors with exit codes, argument parsing helpers,
// progress lines on stderr, and the thread limit.
#pragma once

#include "src/poly.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

namespace cvg::cli {

using Json = nlohmann::ordered_json;

// Bad input: main prints "convergent CMD: error: MESSAGE" on one line and exits 2.
class UsageError : public std::runtime_error {
public:
    UsageError(const std::string& arg, const std::string& what)
        : std::runtime_error(arg.empty() ? what : arg + ": " + what) {}
};

// The text of the file named by "@path" arguments (digits of a constant): at most 64 MiB, so
// that "@/dev/zero" is an error and not an endless read. Throws UsageError naming `option`.
std::string read_arg_file(const std::string& option, const std::string& path);


// Runtime failure after the input was accepted: exit 1.
class RuntimeFailure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

Poly parse_poly_arg(const std::string& option, const std::string& text);

// Integer coefficients as JSON numbers when they fit in 64 bits, else as decimal strings.
Json coeffs_json(const Poly& p);

// Status lines on stderr for long work: rewritten in place on a terminal, one line every few
// seconds otherwise. Silent for the first second.
class Progress {
public:
    explicit Progress(std::string label);
    ~Progress();
    void update(const std::string& status);
    void done();

private:
    std::string label_;
    bool tty_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point start_, last_;
};

// Adds --threads N (0 = all cores) to a subcommand.
void add_threads_option(CLI::App* sub, int& threads);
// Limits oneTBB to `threads` for the lifetime of the returned object.
std::shared_ptr<void> apply_threads(int threads);

// Subcommands.
void setup_eval(CLI::App& app);
void setup_constants(CLI::App& app);
void setup_query(CLI::App& app);
void setup_search(CLI::App& app);
void setup_merge(CLI::App& app);  // merge and status
void setup_esma(CLI::App& app);
void setup_blind(CLI::App& app);
void setup_cluster(CLI::App& app);
void setup_report(CLI::App& app);
void setup_identify(CLI::App& app);
void identify_after_eval(const Poly& a, const Poly& b, bool json, Json* out);  // eval --identify

}  // namespace cvg::cli
