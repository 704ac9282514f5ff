#include "tests/support/limit_expr.hpp"

#include <arb_hypgeom.h>

#include <cctype>
#include <functional>
#include <map>
#include <stdexcept>

namespace cvg::test {
namespace {

class Eval {
public:
    Eval(const std::string& s, slong prec) : s_(s), prec_(prec) {}
    Ball run() {
        Ball v = expr();
        skip();
        if (i_ != s_.size()) fail("trailing input");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& why) { throw std::runtime_error(why + " in '" + s_ + "'"); }
    void skip() { while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_; }
    bool eat(char c) { skip(); if (i_ < s_.size() && s_[i_] == c) { ++i_; return true; } return false; }

    Ball expr() {
        Ball v = term();
        for (;;) {
            if (eat('+')) { Ball t = term(); arb_add(v.get(), v.get(), t.get(), prec_); }
            else if (eat('-')) { Ball t = term(); arb_sub(v.get(), v.get(), t.get(), prec_); }
            else return v;
        }
    }
    Ball term() {
        Ball v = unary();
        for (;;) {
            if (eat('*')) { Ball t = unary(); arb_mul(v.get(), v.get(), t.get(), prec_); }
            else if (eat('/')) { Ball t = unary(); arb_div(v.get(), v.get(), t.get(), prec_); }
            else return v;
        }
    }
    Ball unary() {
        if (eat('-')) { Ball v = unary(); arb_neg(v.get(), v.get()); return v; }
        Ball v = primary();
        if (eat('^')) { Ball e = unary(); arb_pow(v.get(), v.get(), e.get(), prec_); }
        return v;
    }
    Ball primary() {
        skip();
        Ball v;
        if (eat('(')) {
            v = expr();
            if (!eat(')')) fail("missing )");
            return v;
        }
        size_t start = i_;
        if (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
            while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
            arb_set_ui(v.get(), std::stoul(s_.substr(start, i_ - start)));
            return v;
        }
        while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) ++i_;
        std::string name = s_.substr(start, i_ - start);
        if (name.empty()) fail("expected a value");
        if (eat('(')) {
            Ball x = expr();
            if (!eat(')')) fail("missing )");
            apply(name, v, x);
            return v;
        }
        constant(name, v);
        return v;
    }
    void constant(const std::string& n, Ball& v) {
        arb_struct* z = v.get();
        if (n == "pi") arb_const_pi(z, prec_);
        else if (n == "e") arb_const_e(z, prec_);
        else if (n == "catalan") arb_const_catalan(z, prec_);
        else if (n == "phi") { arb_sqrt_ui(z, 5, prec_); arb_add_ui(z, z, 1, prec_); arb_mul_2exp_si(z, z, -1); }
        else fail("unknown constant " + n);
    }
    void apply(const std::string& f, Ball& v, const Ball& x) {
        arb_struct* z = v.get();
        const arb_struct* a = x.get();
        if (f == "sqrt") arb_sqrt(z, a, prec_);
        else if (f == "cbrt") arb_root_ui(z, a, 3, prec_);
        else if (f == "log") arb_log(z, a, prec_);
        else if (f == "exp") arb_exp(z, a, prec_);
        else if (f == "coth") arb_coth(z, a, prec_);
        else if (f == "cot") arb_cot(z, a, prec_);
        else if (f == "tan") arb_tan(z, a, prec_);
        else if (f == "ei") arb_hypgeom_ei(z, a, prec_);
        else if (f == "zeta") arb_zeta(z, a, prec_);
        else fail("unknown function " + f);
    }

    std::string s_;
    size_t i_ = 0;
    slong prec_;
};

}  // namespace

Ball limit_value(const std::string& expr, slong prec) { return Eval(expr, prec).run(); }

}  // namespace cvg::test
