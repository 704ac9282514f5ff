#include "src/constants.hpp"

#include <arb_hypgeom.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>

namespace cvg {
namespace {

const std::vector<ConstantInfo> kConstants = {
    {"pi", "pi = 3.14159..."},
    {"e", "Euler's number e = 2.71828..."},
    {"log2", "natural logarithm of 2 = 0.69314..."},
    {"log3", "natural logarithm of 3 = 1.09861..."},
    {"zeta3", "Apery's constant zeta(3) = 1.20205..."},
    {"zeta5", "zeta(5) = 1.03692..."},
    {"zeta7", "zeta(7) = 1.00834..."},
    {"catalan", "Catalan's constant G = 0.91596..."},
    {"sqrt2", "square root of 2 = 1.41421..."},
    {"sqrt3", "square root of 3 = 1.73205..."},
    {"phi", "golden ratio (1+sqrt5)/2 = 1.61803..."},
    {"euler_gamma", "Euler-Mascheroni constant gamma = 0.57721..."},
    {"gompertz", "Euler-Gompertz constant -e*Ei(-1) = 0.59634..."},
    {"gauss", "Gauss's constant 1/agm(1,sqrt2) = 0.83462..."},
    {"lemniscate", "lemniscate constant pi/agm(1,sqrt2) = 2.62205..."},
};

// Canonical name for an accepted spelling, or "" if unknown.
std::string canonical_name(std::string_view s) {
    if (s == "ln2") return "log2";
    if (s == "tan1") return "tan1";
    if (s == "ln3") return "log3";
    for (const auto& c : kConstants)
        if (s == c.name) return c.name;
    if (s.size() >= 5 && s.size() <= 6 && s.substr(0, 4) == "zeta" &&
        std::all_of(s.begin() + 4, s.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); })) {
        int k = std::stoi(std::string(s.substr(4)));
        if (k >= 2 && s[4] != '0') return "zeta" + std::to_string(k);
    }
    return "";
}

int order_of(const std::string& name) {
    for (size_t i = 0; i < kConstants.size(); ++i)
        if (name == kConstants[i].name) return static_cast<int>(i);
    if (name == "tan1") return static_cast<int>(kConstants.size());
    return static_cast<int>(kConstants.size()) + 1 + std::stoi(name.substr(4));  // zetaK
}

void agm_1_sqrt2(arb_t z, slong prec) {
    arb_t one, s;
    arb_init(one); arb_init(s);
    arb_one(one);
    arb_sqrt_ui(s, 2, prec);
    arb_agm(z, one, s, prec);
    arb_clear(one); arb_clear(s);
}

void named_value(arb_t z, const std::string& name, slong prec) {
    if (name == "pi") arb_const_pi(z, prec);
    else if (name == "e") arb_const_e(z, prec);
    else if (name == "log2") arb_const_log2(z, prec);
    else if (name == "log3") arb_log_ui(z, 3, prec);
    else if (name == "tan1") { arb_one(z); arb_tan(z, z, prec); }
    else if (name == "catalan") arb_const_catalan(z, prec);
    else if (name == "sqrt2") arb_sqrt_ui(z, 2, prec);
    else if (name == "sqrt3") arb_sqrt_ui(z, 3, prec);
    else if (name == "phi") { arb_sqrt_ui(z, 5, prec); arb_add_ui(z, z, 1, prec); arb_mul_2exp_si(z, z, -1); }
    else if (name == "euler_gamma") arb_const_euler(z, prec);
    else if (name == "gompertz") {  // -e * Ei(-1)
        arb_t m1, e;
        arb_init(m1); arb_init(e);
        arb_set_si(m1, -1);
        arb_hypgeom_ei(z, m1, prec);
        arb_const_e(e, prec);
        arb_mul(z, z, e, prec);
        arb_neg(z, z);
        arb_clear(m1); arb_clear(e);
    } else if (name == "gauss") { agm_1_sqrt2(z, prec); arb_inv(z, z, prec); }
    else if (name == "lemniscate") {
        arb_t pi;
        arb_init(pi);
        agm_1_sqrt2(z, prec);
        arb_const_pi(pi, prec);
        arb_div(z, pi, z, prec);
        arb_clear(pi);
    } else arb_zeta_ui(z, static_cast<ulong>(std::stoi(name.substr(4))), prec);  // zetaK
}

std::mutex cache_mutex;
std::map<std::pair<std::string, slong>, Ball> cache;

}  // namespace

const std::vector<ConstantInfo>& named_constants() { return kConstants; }

std::string ConstantExpr::str() const {
    std::string s;
    for (const auto& [name, power] : factors) {
        if (!s.empty()) s += '*';
        s += name;
        if (power != 1) s += '^' + std::to_string(power);
    }
    return s;
}

ConstantExpr parse_constant(std::string_view text) {
    auto fail = [&](const std::string& why) -> ParseError {
        return ParseError(why + " in constant '" + std::string(text) + "'");
    };
    std::map<std::string, int> powers;
    size_t i = 0;
    auto skip = [&] { while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i; };
    skip();
    if (i == text.size()) throw fail("empty name");
    for (;;) {
        skip();
        size_t start = i;
        while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_')) ++i;
        std::string_view word = text.substr(start, i - start);
        if (word.empty()) throw fail("expected a constant name at position " + std::to_string(start + 1));
        std::string name = canonical_name(word);
        if (name.empty())
            throw fail("unknown constant '" + std::string(word) + "' (see 'convergent constants')");
        skip();
        int power = 1;
        if (i < text.size() && text[i] == '^') {
            ++i;
            skip();
            size_t ds = i;
            while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
            if (ds == i || i - ds > 2) throw fail("the power must be an integer from 1 to 99");
            power = std::stoi(std::string(text.substr(ds, i - ds)));
            if (power < 1) throw fail("the power must be an integer from 1 to 99");
            skip();
        }
        powers[name] += power;
        if (powers[name] > 99) throw fail("the power must be an integer from 1 to 99");
        if (i == text.size()) break;
        if (text[i] != '*') throw fail("unexpected '" + std::string(1, text[i]) + "'");
        ++i;
    }
    ConstantExpr c;
    for (auto& [name, power] : powers) c.factors.emplace_back(name, power);
    std::sort(c.factors.begin(), c.factors.end(),
              [](const auto& x, const auto& y) { return order_of(x.first) < order_of(y.first); });
    return c;
}

Ball constant_value(const ConstantExpr& c, slong prec) {
    std::string key = c.str();
    {
        std::lock_guard<std::mutex> lock(cache_mutex);
        auto it = cache.find({key, prec});
        if (it != cache.end()) return it->second;
    }
    // Work with guard bits so that the product of powers keeps `prec` accurate bits.
    slong wp = prec + 32;
    Ball r, f;
    for (;;) {
        arb_one(r.get());
        for (const auto& [name, power] : c.factors) {
            named_value(f.get(), name, wp);
            arb_pow_ui(f.get(), f.get(), static_cast<ulong>(power), wp);
            arb_mul(r.get(), r.get(), f.get(), wp);
        }
        if (arb_rel_accuracy_bits(r.get()) >= prec) break;
        wp *= 2;
    }
    std::lock_guard<std::mutex> lock(cache_mutex);
    cache.emplace(std::make_pair(key, prec), r);
    return r;
}

}  // namespace cvg
