// Presentation of PCFs and constants for people: the first terms of the continued fraction as
// text ("5 - 1/(117 - 64/(535 - ...))") and as LaTeX \cfrac, and LaTeX names of constants.
#pragma once

#include "src/pcf.hpp"

#include <string>

namespace cvg {

std::string cf_text(const Pcf& pcf, int terms = 4);
std::string cf_latex(const Pcf& pcf, int terms = 3);
std::string poly_latex(const Poly& p);
// "pi" -> "\pi", "zeta3" -> "\zeta(3)", "pi^2*log2" -> "\pi^{2}\log 2"; unknown names unchanged.
std::string constant_latex(const std::string& expr);

}  // namespace cvg
