// Evaluates the closed-form limits written in search/known_pcfs.csv ("4/pi + 1",
// "(e + 1)/(e - 1)", "1/(-e*ei(-1))", "(cbrt(4)+1)/(cbrt(4)-1)") with Arb, directly from Arb's
// special functions, independently of the engine's evaluation code.
#pragma once

#include "src/bigint.hpp"

#include <string>

namespace cvg::test {

Ball limit_value(const std::string& expr, slong prec);

}  // namespace cvg::test
