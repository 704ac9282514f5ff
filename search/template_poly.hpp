// Polynomials in n whose coefficients are integer polynomials in named parameters, e.g.
// "x0*((n+1)^3+n^3) + x1*(2n+1)" or "-x2^2*n^6": the families of a search domain. Instantiating
// the parameters gives a Poly in n.
#pragma once

#include "src/poly.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cvg::search {

class TemplatePoly {
public:
    // `params` are the names that may appear besides n. Throws ParseError.
    static TemplatePoly parse(std::string_view text, const std::vector<std::string>& params);

    Poly instantiate(const std::vector<int64_t>& values) const;  // values in the order of `params`
    bool uses(size_t param) const;                              // does parameter `param` appear?
    int degree_in_n() const;
    const std::string& text() const { return text_; }

    // monomial: exponent of n, then exponents of each parameter -> coefficient
    using Key = std::vector<int>;
    const std::map<Key, Int>& terms() const { return terms_; }

private:
    std::map<Key, Int> terms_;
    size_t nparams_ = 0;
    std::string text_;
};

}  // namespace cvg::search
