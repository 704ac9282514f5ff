#include "search/presets.hpp"

namespace cvg::search {
namespace {

const Preset kPresets[] = {
    // As in the Ramanujan Machine, the leading coefficient of a(n) is positive: (-a, b) is the
    // same formula for -x.
    {"e", "e",
     R"J({"params": {"a1": [1, 5], "a0": [-5, 5], "b1": [-5, 5], "b0": [-5, 5]}, "a": "a0 + a1*n", "b": "b0 + b1*n"})J",
     5, "a and b of degree 1, coefficients in [-5, 5], a1 >= 1 (left side: |coefficients| <= 5)"},
    {"pi", "pi",
     R"J({"params": {"a1": [1, 13], "a0": [-13, 13], "b2": [-11, 11], "b1": [-11, 11], "b0": [-11, 11]},
         "a": "a0 + a1*n", "b": "b0 + b1*n + b2*n^2"})J",
     20, "a of degree 1 with coefficients in [-13, 13] (a1 >= 1), b of degree 2 with coefficients in [-11, 11]"},
    // The Ramanujan Machine's zeta(3) family (Zeta3Domain1, scripts/paper_results/zeta3_results.py):
    // a(n) = (2n+1)(x2 n(n+1) + x3), b(n) = x4 n^6; Apery's PCF is x2 = 17, x3 = 5, x4 = -1.
    {"zeta3", "zeta3",
     R"J({"params": {"x2": [-50, 50], "x3": [-50, 50], "x4": [-10, -1]},
         "a": "(2n+1)*(x2*n*(n+1) + x3)", "b": "x4*n^6"})J",
     20, "a(n) = (2n+1)(x2 n(n+1) + x3), x2, x3 in [-50, 50]; b(n) = x4 n^6, x4 in [-10, -1]"},
    // The same idea one weight up (Zeta5Domain, "option 2" of scripts/find_zeta5_results.py).
    {"zeta5", "zeta5",
     R"J({"params": {"x0": [1, 20], "x1": [-100, 100], "x2": [-100, 100]},
         "a": "x0*((n+1)^5 + n^5) + x1*n + x2", "b": "-n^10"})J",
     20, "a(n) = x0((n+1)^5 + n^5) + x1 n + x2, x0 in [1, 20], x1, x2 in [-100, 100]; b(n) = -n^10"},
    // Catalan: a of degree 2, b(n) = x n^4 + y n^3 (holds 1/(2G) = 1 - 2/(7 - 32/(19 - ...))).
    {"catalan", "catalan",
     R"J({"params": {"a2": [1, 8], "a1": [-8, 8], "a0": [-8, 8], "x": [-5, 5], "y": [-5, 5]},
         "a": "a2*n^2 + a1*n + a0", "b": "x*n^4 + y*n^3"})J",
     20, "a of degree 2 (a2 in [1, 8], a1, a0 in [-8, 8]); b(n) = x n^4 + y n^3, x, y in [-5, 5]"},
    // log 2 over the pi domain (holds 2/log 2 = 3 - 1/(9 - 4/(15 - ...))).
    {"log2", "log2",
     R"J({"params": {"a1": [1, 13], "a0": [-13, 13], "b2": [-11, 11], "b1": [-11, 11], "b0": [-11, 11]},
         "a": "a0 + a1*n", "b": "b0 + b1*n + b2*n^2"})J",
     20, "the pi domain: a of degree 1 (a1 >= 1), coefficients in [-13, 13]; b of degree 2 in [-11, 11]"},
};

}  // namespace

const Preset* find_preset(const std::string& name) {
    for (const Preset& p : kPresets)
        if (name == p.name) return &p;
    return nullptr;
}

std::string preset_names() {
    std::string s;
    for (const Preset& p : kPresets) s += (s.empty() ? "" : ", ") + std::string(p.name);
    return s;
}

}  // namespace cvg::search
