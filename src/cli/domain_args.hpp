// Command-line options shared by the subcommands that walk a domain of PCFs (search, blind):
// a box (--a-deg/--a-coef/--b-deg/--b-coef, or --coef for both) or a JSON domain file, and the
// shard of the work units to run.
#pragma once

#include "search/domain.hpp"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace cvg::cli {

struct DomainArgs {
    std::string domain_file;
    int a_deg = -1, b_deg = -1;
    std::string a_coef, b_coef, coef;
};

// --domain, --a-deg, --a-coef, --b-deg, --b-coef, and --coef when `with_coef`.
void add_domain_options(CLI::App* sub, DomainArgs& a, bool with_coef);

// The domain the options describe; nullopt when none was given. Throws UsageError.
std::optional<search::Domain> domain_from_args(const DomainArgs& a);

// "i/N" with 0 <= i < N. Throws UsageError naming `option`.
std::pair<uint64_t, uint64_t> parse_shard(const std::string& option, const std::string& text);

}  // namespace cvg::cli
