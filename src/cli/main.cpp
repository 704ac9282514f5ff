// convergent: discovers and checks continued-fraction formulas for mathematical constants.
#include "db/sqlite.hpp"
#include "src/cli/common.hpp"
#include "src/version.hpp"

#include <flint/flint.h>
#include <gmp.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <new>
#include <string>
#include <unistd.h>

namespace {

std::string subcommand_name(const CLI::App& app) {
    for (const CLI::App* s : app.get_subcommands()) return "convergent " + s->get_name();
    return "convergent";
}

// CLI11's messages, reduced to one line.
std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\n') c = ' ';
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

// GMP and FLINT abort() when an allocation fails, deep inside a worker thread: out of memory is
// a clean one-line error and exit 1 instead (ulimit -v, tests/cli/test_cli_reliability.cpp).
char g_command[64] = "convergent";  // "convergent SUBCOMMAND", set before any work

[[noreturn]] void out_of_memory() {
    const char msg[] = ": error: out of memory\n";
    (void)!::write(2, g_command, std::strlen(g_command));
    (void)!::write(2, msg, sizeof msg - 1);
    ::_exit(1);
}
void* checked_malloc(size_t n) {
    void* p = std::malloc(n);
    if (!p && n) out_of_memory();
    return p;
}
void* checked_calloc(size_t n, size_t size) {
    void* p = std::calloc(n, size);
    if (!p && n && size) out_of_memory();
    return p;
}
void* checked_realloc(void* old, size_t n) {
    void* p = std::realloc(old, n);
    if (!p && n) out_of_memory();
    return p;
}
void* gmp_realloc(void* old, size_t, size_t n) { return checked_realloc(old, n); }
void gmp_free(void* p, size_t) { std::free(p); }

}  // namespace

int main(int argc, char** argv) {
    mp_set_memory_functions(checked_malloc, gmp_realloc, gmp_free);
    __flint_set_memory_functions(checked_malloc, checked_calloc, checked_realloc, std::free);
    std::signal(SIGXFSZ, SIG_IGN);  // a file-size limit: the write fails with EFBIG, reported as an error
    if (argc > 1 && std::strlen(argv[1]) < 32 && argv[1][0] != '-')
        std::snprintf(g_command, sizeof g_command, "convergent %s", argv[1]);
    CLI::App app{"convergent " CONVERGENT_VERSION
                 " - discovers and verifies continued-fraction formulas for mathematical constants"};
    app.set_version_flag("--version", CONVERGENT_VERSION);
    app.require_subcommand(1);
    app.footer(
        "Examples:\n"
        "  convergent eval --a \"34n^3+51n^2+27n+5\" --b \"-n^6\" --digits 1000\n"
        "  convergent constants --digits 60\n"
        "  convergent search --preset pi --db pi.db\n"
        "  convergent query --db pi.db --format table\n"
        "Run 'convergent SUBCOMMAND --help' for the options of each subcommand.");
    cvg::cli::setup_eval(app);
    cvg::cli::setup_constants(app);
    cvg::cli::setup_query(app);
    cvg::cli::setup_search(app);
    cvg::cli::setup_merge(app);
    cvg::cli::setup_esma(app);
    cvg::cli::setup_blind(app);
    cvg::cli::setup_cluster(app);
    cvg::cli::setup_report(app);
    cvg::cli::setup_identify(app);

    auto is_subcommand = [&](const std::string& name) {
        for (const CLI::App* s : app.get_subcommands({})) if (s->get_name() == name) return true;
        return false;
    };
    if (argc > 1 && argv[1][0] != '-' && !is_subcommand(argv[1])) {
        std::fprintf(stderr, "convergent: error: unknown subcommand '%s' (see --help)\n", argv[1]);
        return 2;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::cout << app.help();
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        std::cout << app.help("", CLI::AppFormatMode::All);
        return 0;
    } catch (const CLI::CallForVersion&) {
        std::cout << CONVERGENT_VERSION << "\n";
        return 0;
    } catch (const CLI::ParseError& e) {
        // A --help on a subcommand arrives as CallForHelp from that subcommand.
        if (e.get_exit_code() == 0) {
            for (const CLI::App* s : app.get_subcommands()) {
                std::cout << s->help();
                return 0;
            }
            std::cout << app.help();
            return 0;
        }
        std::fprintf(stderr, "%s: error: %s (see --help)\n", subcommand_name(app).c_str(),
                     one_line(e.what()).c_str());
        return 2;
    } catch (const cvg::cli::UsageError& e) {
        std::fprintf(stderr, "%s: error: %s\n", subcommand_name(app).c_str(), one_line(e.what()).c_str());
        return 2;
    } catch (const cvg::db::DbError& e) {
        std::fprintf(stderr, "%s: error: %s\n", subcommand_name(app).c_str(), one_line(e.what()).c_str());
        return e.bad_input() ? 2 : 1;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "%s: error: out of memory\n", subcommand_name(app).c_str());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: error: %s\n", subcommand_name(app).c_str(), one_line(e.what()).c_str());
        return 1;
    }
    return 0;
}
