// Honest decimal output: the digits of a real number that every point of its enclosing ball
// shares (truncated expansion, so the digits are a prefix of the true value's expansion).
#pragma once

#include "src/bigint.hpp"

#include <string>

namespace cvg {

struct Decimal {
    bool negative = false;
    std::string digits;  // significant digits (empty: no digit is certain)
    long exp10 = 0;      // value = 0.d1 d2 d3 ... x 10^exp10
    bool rounded = false;  // the digits are every point's rounding to nearest, not its truncation
                           // (a value at a decimal boundary, e.g. 1 enclosed by [0.99..9, 1.00..1])

    long count() const { return static_cast<long>(digits.size()); }
    // "4.9915...", "0.00123", "1.234e-20"; "?" when no digit is certain.
    std::string str() const;
};

// The longest truncated decimal expansion shared by every point of x, at most max_digits long;
// when x straddles a decimal boundary so that the rounding to nearest gives more digits, that
// rounding (rounded = true). Returns no digits when x contains 0 or is not finite.
Decimal certified_decimal(const Ball& x, long max_digits);

// Significant decimal digits needed for a binary precision and vice versa.
inline long digits_for_bits(long bits) { return static_cast<long>(bits * 0.30102999566398119521); }
inline long bits_for_digits(long digits) { return static_cast<long>(digits * 3.3219280948873623479) + 1; }

}  // namespace cvg
