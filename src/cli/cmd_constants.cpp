// convergent constants: the named constants to any number of digits.
#include "src/cli/common.hpp"
#include "src/constants.hpp"
#include "src/decimal.hpp"

#include <iostream>

namespace cvg::cli {
namespace {

struct ConstantsArgs {
    long digits = 30;
    bool json = false;
    std::vector<std::string> names;
};

void run_constants(const ConstantsArgs& args) {
    std::vector<std::pair<ConstantExpr, std::string>> list;
    if (args.names.empty()) {
        for (const ConstantInfo& c : named_constants()) list.emplace_back(parse_constant(c.name), c.description);
    } else {
        for (const std::string& n : args.names) {
            try {
                list.emplace_back(parse_constant(n), "");
            } catch (const ParseError& e) {
                throw UsageError("NAME", e.what());
            }
        }
    }
    slong prec = bits_for_digits(args.digits + 10);
    Json out = Json::array();
    size_t width = 0;
    for (const auto& [c, d] : list) width = std::max(width, c.str().size());
    for (const auto& [c, description] : list) {
        Decimal v = certified_decimal(constant_value(c, prec), args.digits);
        if (args.json) {
            Json j;
            j["name"] = c.str();
            if (!description.empty()) j["description"] = description;
            j["digits"] = v.count();
            j["value"] = v.str();
            out.push_back(j);
        } else {
            std::cout << c.str() << std::string(width + 2 - c.str().size(), ' ') << v.str() << "\n";
        }
    }
    if (args.json) std::cout << out.dump() << "\n";
}

}  // namespace

void setup_constants(CLI::App& app) {
    auto args = std::make_shared<ConstantsArgs>();
    CLI::App* sub = app.add_subcommand("constants", "List the named constants to any number of digits");
    sub->add_option("NAME", args->names, "Constants or products of powers of them (pi, zeta3, pi^2*log2)");
    sub->add_option("--digits", args->digits, "Significant digits (truncated, all certain)")
        ->check(CLI::Range(1L, 10'000'000L))
        ->default_val(30);
    sub->add_flag("--json", args->json, "Print a JSON array");
    sub->footer(
        "Names: pi e log2 log3 zeta3 zeta5 zeta7 catalan sqrt2 sqrt3 phi euler_gamma gompertz gauss\n"
        "lemniscate; also zetaK (K >= 2), ln2, ln3, and products/powers such as pi^2 or pi*log2.\n"
        "Examples:\n"
        "  convergent constants --digits 100\n"
        "  convergent constants zeta3 pi^2 --digits 1000 --json");
    sub->callback([args] { run_constants(*args); });
}

}  // namespace cvg::cli
