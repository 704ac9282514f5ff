#include "src/cli/common.hpp"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace cvg::cli {

Poly parse_poly_arg(const std::string& option, const std::string& text) {
    try {
        return Poly::parse(text);
    } catch (const ParseError& e) {
        throw UsageError(option, e.what());
    }
}

Json coeffs_json(const Poly& p) {
    Json a = Json::array();
    if (p.is_zero()) a.push_back(0);
    for (const Int& c : p.coeffs()) {
        if (fmpz_fits_si(c.get())) a.push_back(static_cast<long long>(fmpz_get_si(c.get())));
        else a.push_back(c.str());
    }
    return a;
}

Progress::Progress(std::string label)
    : label_(std::move(label)), tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()), last_(start_) {}

Progress::~Progress() { done(); }

void Progress::update(const std::string& status) {
    auto now = std::chrono::steady_clock::now();
    double since_start = std::chrono::duration<double>(now - start_).count();
    double since_last = std::chrono::duration<double>(now - last_).count();
    if (since_start < 1.0) return;
    if (tty_) {
        std::fprintf(stderr, "\r\033[K%s: %s", label_.c_str(), status.c_str());
    } else {
        if (shown_ && since_last < 5.0) return;
        std::fprintf(stderr, "%s: %s\n", label_.c_str(), status.c_str());
    }
    std::fflush(stderr);
    shown_ = true;
    last_ = now;
}

void Progress::done() {
    if (shown_ && tty_) std::fprintf(stderr, "\n");
    shown_ = false;
}

void add_threads_option(CLI::App* sub, int& threads) {
    sub->add_option("--threads", threads, "Worker threads (0 = all cores)")
        ->check(CLI::Range(0, 4096))
        ->default_val(0);
}

std::shared_ptr<void> apply_threads(int threads) {
    if (threads <= 0) return nullptr;
    return std::make_shared<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                 static_cast<size_t>(threads));
}

std::string read_arg_file(const std::string& option, const std::string& path) {
    constexpr size_t kMax = size_t{64} << 20;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError(option, "cannot read '" + path + "'");
    std::string s;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        s.append(buf, static_cast<size_t>(in.gcount()));
        if (s.size() > kMax) throw UsageError(option, "'" + path + "' is larger than 64 MiB");
    }
    if (in.bad()) throw UsageError(option, "cannot read '" + path + "'");
    return s;
}

}  // namespace cvg::cli
