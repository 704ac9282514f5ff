// Integer polynomials in n with arbitrary-size coefficients: the a(n), b(n) of a PCF.
// Parsed from the expression syntax of DESIGN.md, printed canonically, evaluated exactly
// (fmpz), in machine integers with overflow detection, and in double precision.
#pragma once

#include "src/bigint.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cvg {

// Thrown by Poly::parse with a one-line message that quotes the bad part of the input.
class ParseError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

class Poly {
public:
    static constexpr int kMaxDegree = 64;
    static constexpr unsigned kMaxCoeffBits = 4096;  // ~1233 decimal digits

    Poly() = default;
    explicit Poly(std::vector<Int> ascending);       // trailing zeros are trimmed
    static Poly from_si(std::initializer_list<slong> ascending);
    // Parses e.g. "34n^3+51n^2+27n+5", "-n^6", "(2n-1)^2", "3*n - 1". Throws ParseError.
    static Poly parse(std::string_view expr);

    int degree() const { return static_cast<int>(c_.size()) - 1; }  // -1 for the zero polynomial
    bool is_zero() const { return c_.empty(); }
    const std::vector<Int>& coeffs() const { return c_; }            // ascending
    Int coeff(int i) const { return i < static_cast<int>(c_.size()) ? c_[i] : Int(); }

    std::string to_expr() const;   // canonical expression, descending powers: "34n^3+51n^2+27n+5"
    std::string to_list() const;   // canonical ascending list: "[5,27,51,34]"

    void eval(fmpz_t out, slong n) const;                 // exact
    Int eval(slong n) const { Int r; eval(r.get(), n); return r; }
    bool eval_i64(int64_t n, int64_t& out) const;         // false if anything overflows int64
    double eval_d(double n) const;                        // double Horner (approximate when large)
    bool fits_i64() const;                                // every coefficient fits in int64

    // Integer roots (each once), ascending. Used to find where b(n) = 0 ends a PCF.
    std::vector<Int> integer_roots() const;
    // p(k n + c) as a polynomial in n.
    Poly composed_linear(slong k, slong c) const;

    friend Poly operator+(const Poly& x, const Poly& y);
    friend Poly operator-(const Poly& x, const Poly& y);
    friend Poly operator*(const Poly& x, const Poly& y);
    Poly operator-() const;
    friend bool operator==(const Poly& x, const Poly& y) { return x.c_ == y.c_; }

private:
    void trim();
    std::vector<Int> c_;
    std::vector<double> cd_;  // c_ as doubles, for eval_d
};

}  // namespace cvg
