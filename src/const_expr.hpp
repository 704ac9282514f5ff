// Closed-form real numbers written by users ("6/zeta3", "4/pi + 1", "(e+1)/(e-1)", "sqrt(2)+1"):
// integers, named constants (constants.hpp), + - * /, integer powers, sqrt/cbrt/log/exp, and
// parentheses; evaluated with Arb to a requested relative accuracy.
#pragma once

#include "src/bigint.hpp"
#include "src/poly.hpp"  // ParseError

#include <memory>
#include <string>
#include <string_view>

namespace cvg {

class ConstExpr {
public:
    static ConstExpr parse(std::string_view text);  // throws ParseError
    Ball value(slong prec) const;                   // relative accuracy >= prec bits (or throws)
    const std::string& text() const { return text_; }

    struct Node;

private:
    std::shared_ptr<const Node> root_;
    std::string text_;
};

}  // namespace cvg
