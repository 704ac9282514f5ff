#include "src/pcf_format.hpp"

#include <vector>

namespace cvg {
namespace {

struct Term {
    std::string a, b_abs;
    bool b_negative = false;
};

std::vector<Term> first_terms(const Pcf& pcf, int terms) {
    std::vector<Term> t;
    for (int n = 0; n <= terms; ++n) {
        Term x;
        x.a = pcf.a.eval(n).str();
        if (n >= 1) {
            Int b = pcf.b.eval(n);
            x.b_negative = b.sign() < 0;
            fmpz_abs(b.get(), b.get());
            x.b_abs = b.str();
        }
        t.push_back(x);
    }
    return t;
}

}  // namespace

std::string cf_text(const Pcf& pcf, int terms) {
    auto t = first_terms(pcf, terms);
    std::string s = t[0].a, close;
    for (int n = 1; n <= terms; ++n) {
        s += (t[n].b_negative ? " - " : " + ") + t[n].b_abs + "/(" + t[n].a;
        close += ")";
        if (auto stop = pcf.termination_index(); stop && *stop == static_cast<uint64_t>(n + 1)) return s + close;
    }
    return s + " + ..." + close;
}

std::string cf_latex(const Pcf& pcf, int terms) {
    auto t = first_terms(pcf, terms);
    std::string s = t[0].a, close;
    for (int n = 1; n <= terms; ++n) {
        s += std::string(t[n].b_negative ? " - " : " + ") + "\\cfrac{" + t[n].b_abs + "}{" + t[n].a;
        close += "}";
        if (auto stop = pcf.termination_index(); stop && *stop == static_cast<uint64_t>(n + 1)) return s + close;
    }
    return s + " + \\dotsb" + close;
}

std::string poly_latex(const Poly& p) {
    std::string e = p.to_expr(), out;
    for (size_t i = 0; i < e.size(); ++i) {
        if (e[i] == '^') {
            size_t j = i + 1;
            while (j < e.size() && std::isdigit(static_cast<unsigned char>(e[j]))) ++j;
            out += "^{" + e.substr(i + 1, j - i - 1) + "}";
            i = j - 1;
        } else {
            out += e[i];
        }
    }
    return out;
}

std::string constant_latex(const std::string& expr) {
    auto one = [](const std::string& name) -> std::string {
        if (name == "pi") return "\\pi";
        if (name == "e") return "e";
        if (name == "log2") return "\\log 2";
        if (name == "log3") return "\\log 3";
        if (name == "catalan") return "G";
        if (name == "sqrt2") return "\\sqrt{2}";
        if (name == "sqrt3") return "\\sqrt{3}";
        if (name == "phi") return "\\varphi";
        if (name == "euler_gamma") return "\\gamma";
        if (name == "gompertz") return "\\delta_{G}";
        if (name == "gauss") return "G_{\\mathrm{Gauss}}";
        if (name == "lemniscate") return "\\varpi";
        if (name.rfind("zeta", 0) == 0) return "\\zeta(" + name.substr(4) + ")";
        return name;
    };
    std::string out;
    size_t i = 0;
    while (i <= expr.size()) {
        size_t j = expr.find('*', i);
        if (j == std::string::npos) j = expr.size();
        std::string f = expr.substr(i, j - i), power;
        if (auto k = f.find('^'); k != std::string::npos) {
            power = f.substr(k + 1);
            f = f.substr(0, k);
        }
        std::string l = one(f);
        if (!power.empty()) l = (l.find(' ') != std::string::npos ? "(" + l + ")" : l) + "^{" + power + "}";
        if (!out.empty()) out += " ";
        out += l;
        i = j + 1;
    }
    return out;
}

}  // namespace cvg
