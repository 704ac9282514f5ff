// A relation that names a real number x over a basis B of monomials in named constants
// (B_0 = "1", DESIGN.md):
//
//   P(x) = sum_k x^k (sum_i c[k][i] B_i) = 0.
//
// Degree 1 is DESIGN.md's ratio x = (sum n_i B_i) / (sum d_i B_i) with n = -c[0], d = c[1]; its
// value is reproducible from the integers alone. Degree >= 2 names numbers that no such ratio
// can: algebraic numbers (basis ["1"], P their minimal polynomial) and quadratic irrationalities
// over Q(c) such as coth(1/4) = (sqrt(e)+1)/(sqrt(e)-1); x is then the real root of P nearest the
// number's value. A ratio may also carry the minimal polynomial of an algebraic value
// (1 + sqrt2 with x^2 - 2x - 1).
#pragma once

#include "src/bigint.hpp"

#include <string>
#include <vector>

namespace cvg {

class Relation {
public:
    Relation() = default;
    // x = (sum numerator_i B_i) / (sum denominator_i B_i)
    static Relation ratio(std::vector<std::string> basis, std::vector<Int> numerator, std::vector<Int> denominator);
    // sum_k x^k (sum_i poly[k][i] B_i) = 0
    static Relation polynomial(std::vector<std::string> basis, std::vector<std::vector<Int>> poly);
    // From an integer relation m of the vector (x^k B_i) ordered by k, then i (k = 0..degree).
    static Relation from_vector(std::vector<std::string> basis, int degree, const std::vector<Int>& m);

    const std::vector<std::string>& basis() const { return basis_; }
    const std::vector<std::vector<Int>>& poly() const { return poly_; }
    int degree() const { return static_cast<int>(poly_.size()) - 1; }
    bool is_ratio() const { return degree() == 1; }
    std::vector<Int> numerator() const;    // -c[0] (degree 1)
    std::vector<Int> denominator() const;  // c[1] (degree 1)
    // x does not occur: a relation among the constants alone (a dependent basis), or nothing
    bool degenerate() const;

    const std::vector<Int>& minimal_polynomial() const { return minpoly_; }
    void set_minimal_polynomial(std::vector<Int> p) { minpoly_ = std::move(p); }

    // Coefficients divided by their gcd; the last nonzero coefficient of the highest power of x
    // positive (for a ratio: of the denominator); powers of x with all-zero coefficients above
    // the top one dropped.
    void normalize();

    // Decimal digits of all its nonzero integers (the ratio's, or the polynomial's): what it
    // costs to write the relation down.
    long coefficient_digits() const;
    // The acceptance threshold of docs/IDENTIFY.md: 2 x coefficient digits + 10.
    long digits_needed() const { return 2 * coefficient_digits() + 10; }

    // "(12 - 3*pi)/(10 - 3*pi)", "6/zeta3", "1 + sqrt2", "root of x^3 - 3*x^2 - 3*x - 5",
    // "root of (-1 + e)*x^2 + (-2 - 2*e)*x + (-1 + e)".
    std::string text() const;
    // {"basis": [...], "numerator": [...], "denominator": [...]} (+ "minimal_polynomial" for an
    // algebraic value); degree >= 2: {"basis": [...], "minimal_polynomial": [...]} with integer
    // coefficients of x^0, x^1, ... when the basis is ["1"], else one list over the basis per
    // power of x. Integers beyond 64 bits are written as strings.
    std::string json() const;

    // The value with relative accuracy about prec bits (a ball from the integers and the
    // constants alone). Degree >= 2: the real root nearest mid(near); throws std::domain_error
    // when there is none, or for polynomials of degree >= 3 over a basis other than ["1"].
    Ball value(slong prec, const Ball* near = nullptr) const;

    friend bool operator==(const Relation& x, const Relation& y) {
        return x.basis_ == y.basis_ && x.poly_ == y.poly_;
    }

private:
    std::vector<std::string> basis_;
    std::vector<std::vector<Int>> poly_;
    std::vector<Int> minpoly_;
};

// Decimal digits of |c| (0 for 0).
long decimal_digits(const Int& c);

}  // namespace cvg
