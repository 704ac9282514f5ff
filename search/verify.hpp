// Re-verification of a screen candidate: the PCF evaluated exactly, deeper and far more precisely
// than the screen (depth >= min_depth, at least `digits` certain digits), and the Möbius relation
// to the constant required to hold to those digits. A verified candidate carries its convergence
// metrics (delta against the exact limit, rate, type).
#pragma once

#include "search/lhs.hpp"
#include "src/bigint.hpp"
#include "src/metrics.hpp"
#include "src/pcf.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cvg::search {

struct VerifyOptions {
    long digits = 100;           // the relation must hold to at least this many digits
    uint64_t min_depth = 1000;   // evaluate at least this deep
    uint64_t max_depth = 200000; // give up beyond (slow convergence)
};

// value = (num[0] + num[1] K + num[2] K^2 + ...) / (den[0] + den[1] K + ...): a Möbius transform
// when both have two coefficients.
struct Relation {
    std::vector<int64_t> num, den;
    static Relation of(const Mobius& m) { return Relation{{m.c0, m.c1}, {m.d0, m.d1}}; }
    bool operator==(const Relation& o) const { return num == o.num && den == o.den; }
};

struct Verified {
    Relation relation;
    long digits_matched = 0;   // digits to which value and relation agree (<= certified)
    long certified_digits = 0; // certain digits of the PCF value at the verification depth
    uint64_t depth = 0;
    Metrics metrics;
};

using ConstantFn = std::function<Ball(slong prec)>;

enum class Rejection { none, slow, relation };  // too slow to certify the digits; no relation holds

// The first candidate whose relation holds; nullopt if none does, with the reason in *why.
std::optional<Verified> verify_candidate(const Pcf& pcf, const ConstantFn& K, const std::vector<Relation>& candidates,
                                         const VerifyOptions& opt, Rejection* why = nullptr);

// The relation's value at K, as an Arb ball.
Ball relation_value(const Relation& r, const Ball& K, slong prec);

// DESIGN.md relation JSON ({"basis": ["1", "pi", "pi^2"], ...}) and text ("4/pi") for the
// named constant.
std::string relation_json(const Relation& r, const std::string& constant);
std::string relation_text(const Relation& r, const std::string& constant);

}  // namespace cvg::search
