// The named constants of DESIGN.md, and products/powers of them ("pi^2", "pi*log2"), as Arb
// balls at any precision. Values are cached per (expression, precision); thread-safe.
#pragma once

#include "src/bigint.hpp"
#include "src/poly.hpp"  // ParseError

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cvg {

struct ConstantInfo {
    const char* name;
    const char* description;
};

// The DESIGN.md list, in its order. zetaK for any 2 <= K <= 99, tan1 (= tan 1, for the classical
// continued fractions of tan 1) and the aliases ln2, ln3 are accepted by parse_constant too.
const std::vector<ConstantInfo>& named_constants();

// A monomial in named constants: factors (name, power >= 1) in canonical order.
struct ConstantExpr {
    std::vector<std::pair<std::string, int>> factors;
    std::string str() const;  // canonical: "pi^2*log2"
};

// Throws ParseError naming the unknown constant or the malformed part.
ConstantExpr parse_constant(std::string_view text);

// The value with a rigorous error radius, relative accuracy at least `prec` bits.
Ball constant_value(const ConstantExpr& c, slong prec);
inline Ball constant_value(std::string_view text, slong prec) {
    return constant_value(parse_constant(text), prec);
}

}  // namespace cvg
