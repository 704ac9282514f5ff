#include "search/template_poly.hpp"

#include <algorithm>
#include <cctype>

namespace cvg::search {
namespace {

using Terms = std::map<TemplatePoly::Key, Int>;

constexpr int kMaxTotalDegree = 64;

void add_into(Terms& t, const TemplatePoly::Key& k, const fmpz* c) {
    Int& slot = t[k];
    fmpz_add(slot.get(), slot.get(), c);
    if (slot.is_zero()) t.erase(k);
}

Terms add(const Terms& x, const Terms& y, bool negate_y) {
    Terms r = x;
    for (const auto& [k, c] : y) {
        Int v = c;
        if (negate_y) fmpz_neg(v.get(), v.get());
        add_into(r, k, v.get());
    }
    return r;
}

Terms mul(const Terms& x, const Terms& y) {
    Terms r;
    for (const auto& [kx, cx] : x)
        for (const auto& [ky, cy] : y) {
            TemplatePoly::Key k(kx.size());
            for (size_t i = 0; i < k.size(); ++i) k[i] = kx[i] + ky[i];
            Int c;
            fmpz_mul(c.get(), cx.get(), cy.get());
            add_into(r, k, c.get());
        }
    return r;
}

class Parser {
public:
    Parser(std::string_view s, const std::vector<std::string>& params) : s_(s), params_(params) {}

    Terms parse() {
        if (peek() == '\0') fail("empty polynomial");
        Terms t = expr();
        if (peek() != '\0') fail("unexpected '" + std::string(1, s_[i_]) + "'");
        return t;
    }

private:
    [[noreturn]] void fail(const std::string& why) {
        throw ParseError(why + " at position " + std::to_string(i_ + 1) + " in '" + std::string(s_) + "'");
    }
    char peek() {
        while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
        return i_ < s_.size() ? s_[i_] : '\0';
    }
    Terms constant(slong v) {
        Terms t;
        Int c(v);
        if (v != 0) t[TemplatePoly::Key(params_.size() + 1, 0)] = c;
        return t;
    }
    void check(const Terms& t) {
        for (const auto& [k, c] : t) {
            int total = 0;
            for (int e : k) total += e;
            if (total > kMaxTotalDegree) fail("degree exceeds " + std::to_string(kMaxTotalDegree));
            if (c.bits() > Poly::kMaxCoeffBits) fail("coefficient too large");
        }
    }
    Terms expr() {
        Terms t = term();
        for (char c = peek(); c == '+' || c == '-'; c = peek()) {
            ++i_;
            t = add(t, term(), c == '-');
            check(t);
        }
        return t;
    }
    Terms term() {
        Terms t = unary();
        for (;;) {
            char c = peek();
            if (c == '*') ++i_;
            else if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '(' || c == '_')) return t;
            t = mul(t, unary());
            check(t);
        }
    }
    Terms unary() {
        char c = peek();
        if (c == '-') { ++i_; return mul(constant(-1), unary()); }
        if (c == '+') { ++i_; return unary(); }
        Terms base = primary();
        if (peek() != '^') return base;
        ++i_;
        peek();
        size_t start = i_;
        while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
        if (start == i_) fail("the exponent must be a non-negative integer");
        if (i_ - start > 3) fail("exponent too large");
        int e = std::stoi(std::string(s_.substr(start, i_ - start)));
        if (e > kMaxTotalDegree) fail("exponent too large");
        Terms r = constant(1);
        for (int k = 0; k < e; ++k) {
            r = mul(r, base);
            check(r);
        }
        return r;
    }
    Terms primary() {
        char c = peek();
        if (c == '(') {
            ++i_;
            Terms t = expr();
            if (peek() != ')') fail("missing ')'");
            ++i_;
            return t;
        }
        if (std::isdigit(static_cast<unsigned char>(c))) {
            size_t start = i_;
            while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
            if (i_ < s_.size() && s_[i_] == '.') fail("coefficients must be integers");
            if (i_ - start > 1200) fail("coefficient too large");
            Terms t;
            Int v;
            fmpz_set_str(v.get(), std::string(s_.substr(start, i_ - start)).c_str(), 10);
            if (!v.is_zero()) t[TemplatePoly::Key(params_.size() + 1, 0)] = v;
            return t;
        }
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            size_t start = i_;
            // n is a single letter: "2n", "nx0" is n*x0 only if written n*x0
            while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) ++i_;
            std::string name(s_.substr(start, i_ - start));
            TemplatePoly::Key k(params_.size() + 1, 0);
            if (name == "n") {
                k[0] = 1;
            } else {
                auto it = std::find(params_.begin(), params_.end(), name);
                if (it == params_.end()) {
                    i_ = start;
                    fail("unknown symbol '" + name + "'");
                }
                k[1 + static_cast<size_t>(it - params_.begin())] = 1;
            }
            Terms t;
            t[k] = Int(1);
            return t;
        }
        if (c == '\0') fail("unexpected end");
        fail("unexpected '" + std::string(1, c) + "'");
    }

    std::string_view s_;
    const std::vector<std::string>& params_;
    size_t i_ = 0;
};

}  // namespace

TemplatePoly TemplatePoly::parse(std::string_view text, const std::vector<std::string>& params) {
    TemplatePoly t;
    t.terms_ = Parser(text, params).parse();
    t.nparams_ = params.size();
    t.text_ = std::string(text);
    return t;
}

Poly TemplatePoly::instantiate(const std::vector<int64_t>& values) const {
    std::vector<Int> c;
    Int term, pw;
    for (const auto& [k, coef] : terms_) {
        fmpz_set(term.get(), coef.get());
        for (size_t i = 0; i < nparams_; ++i) {
            if (k[1 + i] == 0) continue;
            fmpz_set_si(pw.get(), values[i]);
            fmpz_pow_ui(pw.get(), pw.get(), static_cast<ulong>(k[1 + i]));
            fmpz_mul(term.get(), term.get(), pw.get());
        }
        size_t d = static_cast<size_t>(k[0]);
        if (c.size() <= d) c.resize(d + 1);
        fmpz_add(c[d].get(), c[d].get(), term.get());
    }
    return Poly(std::move(c));
}

bool TemplatePoly::uses(size_t param) const {
    for (const auto& [k, c] : terms_)
        if (k[1 + param] != 0) return true;
    return false;
}

int TemplatePoly::degree_in_n() const {
    int d = -1;
    for (const auto& [k, c] : terms_) d = std::max(d, k[0]);
    return d;
}

}  // namespace cvg::search
