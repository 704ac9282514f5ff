#include "src/cli/domain_args.hpp"

#include "src/cli/common.hpp"

#include <fstream>

namespace cvg::cli {

void add_domain_options(CLI::App* sub, DomainArgs& a, bool with_coef) {
    sub->add_option("--domain", a.domain_file, "JSON domain file (templates over parameters; see docs/SEARCH.md)");
    sub->add_option("--a-deg", a.a_deg, "Degree of a(n)")->check(CLI::Range(0, 16));
    sub->add_option("--a-coef", a.a_coef, "Coefficient range(s) of a: LO:HI, or one per coefficient a0,a1,...");
    sub->add_option("--b-deg", a.b_deg, "Degree of b(n)")->check(CLI::Range(0, 16));
    sub->add_option("--b-coef", a.b_coef, "Coefficient range(s) of b, as for --a-coef");
    if (with_coef) sub->add_option("--coef", a.coef, "One coefficient range LO:HI for both a and b");
}

std::optional<search::Domain> domain_from_args(const DomainArgs& a) {
    std::optional<search::Domain> domain;
    if (!a.domain_file.empty()) {
        std::ifstream in(a.domain_file);
        if (!in) throw UsageError("--domain", "cannot read '" + a.domain_file + "'");
        try {
            domain = search::Domain::from_json(nlohmann::ordered_json::parse(in));
        } catch (const nlohmann::json::exception& e) {
            throw UsageError("--domain", std::string("not valid JSON: ") + e.what());
        } catch (const std::invalid_argument& e) {
            throw UsageError("--domain", e.what());
        }
    }
    std::string ac = a.a_coef.empty() ? a.coef : a.a_coef, bc = a.b_coef.empty() ? a.coef : a.b_coef;
    bool box = a.a_deg >= 0 || a.b_deg >= 0 || !ac.empty() || !bc.empty();
    if (!box) return domain;
    if (domain) throw UsageError("--a-deg", "give either a box domain or --domain (or --preset)");
    if (a.a_deg < 0 || a.b_deg < 0) throw UsageError(a.a_deg < 0 ? "--a-deg" : "--b-deg", "is required for a box domain");
    if (ac.empty() || bc.empty()) throw UsageError(ac.empty() ? "--a-coef" : "--b-coef", "is required for a box domain");
    std::vector<std::pair<int64_t, int64_t>> ar, br;
    try {
        ar = search::parse_ranges(ac, a.a_deg);
    } catch (const std::invalid_argument& e) {
        throw UsageError(a.a_coef.empty() ? "--coef" : "--a-coef", e.what());
    }
    try {
        br = search::parse_ranges(bc, a.b_deg);
    } catch (const std::invalid_argument& e) {
        throw UsageError(a.b_coef.empty() ? "--coef" : "--b-coef", e.what());
    }
    try {
        return search::Domain::box(ar, br);
    } catch (const std::invalid_argument& e) {
        throw UsageError("--a-coef", e.what());
    }
}

std::pair<uint64_t, uint64_t> parse_shard(const std::string& option, const std::string& s) {
    size_t slash = s.find('/');
    try {
        // plain digits only: stoull alone would take " 3", "+3" and "-1" (as 2^64 - 1)
        if (slash == std::string::npos || s.find_first_not_of("0123456789/") != std::string::npos ||
            s.find('/', slash + 1) != std::string::npos)
            throw std::invalid_argument("");
        size_t used = 0;
        unsigned long long i = std::stoull(s.substr(0, slash), &used);
        if (used != slash) throw std::invalid_argument("");
        std::string rest = s.substr(slash + 1);
        unsigned long long n = std::stoull(rest, &used);
        if (used != rest.size() || n == 0 || i >= n || n > 1000000) throw std::invalid_argument("");
        return {i, n};
    } catch (const std::exception&) {
        throw UsageError(option, "expected i/N with 0 <= i < N, e.g. 3/100 (got '" + s + "')");
    }
}

}  // namespace cvg::cli
