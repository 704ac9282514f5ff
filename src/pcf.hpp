// A polynomial continued fraction a(0) + b(1)/(a(1) + b(2)/(a(2) + ...)) (DESIGN.md).
#pragma once

#include "src/poly.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace cvg {

struct Pcf {
    Poly a, b;

    // The smallest n >= 1 with b(n) = 0, if any: there the fraction terminates and its value is
    // the convergent p_{n-1}/q_{n-1}.
    std::optional<uint64_t> termination_index() const;

    // Canonical key: "[a0,a1,...];[b0,b1,...]" (ascending coefficient lists).
    std::string key() const { return a.to_list() + ";" + b.to_list(); }
    // Readable: "a(n) = 34n^3+51n^2+27n+5, b(n) = -n^6".
    std::string describe() const { return "a(n) = " + a.to_expr() + ", b(n) = " + b.to_expr(); }

    friend bool operator==(const Pcf& x, const Pcf& y) { return x.a == y.a && x.b == y.b; }
};

inline std::optional<uint64_t> Pcf::termination_index() const {
    if (b.is_zero()) return 1;
    for (const Int& r : b.integer_roots())
        if (r.sign() > 0 && fmpz_fits_si(r.get())) return static_cast<uint64_t>(fmpz_get_si(r.get()));
    return std::nullopt;
}

}  // namespace cvg
