// Naming a real number (a decimal, or the limit of a PCF) by an integer relation, with an honest
// acceptance rule (docs/IDENTIFY.md):
//
//   a relation is ACCEPTED only when it reproduces every available digit, those digits are at
//   least 2 x (decimal digits of all its coefficients) + 10, the second method (PSLQ when LLL
//   found it, LLL when PSLQ did) finds it too, and, for a PCF, it still holds when the PCF is
//   evaluated twice as deep at higher precision. Everything else is at most a CANDIDATE.
//
// Families, in order of simplicity (--auto): rational; algebraic of degree 2, 3, 4 (minimal
// polynomial; degree 2 written with sqrt2, sqrt3 or phi when its field is one of theirs); Moebius
// transforms (c0 + c1 K)/(d0 + d1 K) of each named constant K; ratios of degree-2 polynomials in
// one constant (pi^2, ...); roots of quadratics over Z[K] (sqrt(e) and the like); ratios over
// {1, K1, K2, K1*K2} for pairs of constants. The search stops after the first family that yields
// a relation passing the digits rule.
#pragma once

#include "src/bigint.hpp"
#include "src/pcf.hpp"
#include "src/relation.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cvg {

// A real number to identify.
struct Target {
    Ball value;             // an enclosure: certified, or estimated when !certified
    long digits = 0;        // significant decimal digits it carries
    bool certified = true;  // false: digits estimated (Richardson extrapolation)
    std::string origin;     // how the digits were obtained
    std::string text;       // a decimal input as given (white space and "..." removed)
};

// A decimal as typed or stored: optional sign, digits with an optional point, an optional
// exponent (e-5), an optional trailing "..." or "…"; white space anywhere is ignored (digits
// broken over lines). digits = the significant digits written; radius: one unit of the last.
// Throws ParseError (one line) for anything else, and for a number with no nonzero digit.
Target parse_decimal_target(std::string_view text);

enum class RelationMethod { lll, pslq };

struct IdentifyOptions {
    std::vector<std::string> basis;  // non-empty: only relations over 1 and these monomials,
    int degree = 1;                  // of this degree in x (2 with basis {"1"}: quadratic irrationals)
    Int max_coef;                    // > 0: relations with a larger coefficient are not reported
    RelationMethod method = RelationMethod::lll;
    bool cross_check = true;         // the other method on every relation that passes the digits rule
    long max_search_digits = 2000;   // the searches use at most this many digits (checks use all)
    bool simple_families = false;    // empty basis: only rational, algebraic and Moebius transforms of
                                     // one constant (the cheap families: screening many numbers)
    std::function<void(const std::string&)> progress;
};

struct Finding {
    Relation relation;
    std::string family;              // "rational", "algebraic degree 3", "moebius pi", ...
    long digits_available = 0;       // of the number searched
    long digits_matched = 0;         // its leading digits that the relation reproduces
    long search_digits = 0;          // precision of the search that found it
    bool holds = false;              // reproduces every available digit
    bool passes_digits_rule = false; // holds, and digits_available >= relation.digits_needed()
    bool cross_checked = false;
    bool cross_check_agrees = false;
    std::string cross_check;         // what the other method found
    bool deeper_checked = false;     // PCF only: evaluated twice as deep
    bool deeper_holds = false;
    long deeper_digits = 0;
    long deeper_matched = 0;
    bool accepted = false;
    std::string verdict;             // one line: why identified, or why only a candidate
};

// The leading digits of t that r reproduces: t.digits when r's value lies in t's enclosure,
// else where they part (0 when r has no value near t).
long digits_matched(const Relation& r, const Target& t);

// The relations of t: over opt.basis, or the families in order (stopping after the first family
// with a relation that passes the digits rule). Returns those relations first, then up to three
// candidates that hold to clearly more digits than they cost. `accepted` is left false: see
// accept_decimal and identify_pcf. Throws std::invalid_argument when opt.basis is linearly
// dependent (the search finds a relation among the constants alone).
std::vector<Finding> find_relations(const Target& t, const IdentifyOptions& opt);

// A decimal has no deeper evaluation: accepted = passes the digits rule and the cross-check.
void accept_decimal(std::vector<Finding>& findings);

struct PcfIdentifyOptions {
    long digits = 100;               // digits of the first evaluation (the one searched)
    uint64_t max_depth = 10'000'000;
    IdentifyOptions identify;
};

struct PcfIdentification {
    Target first, deeper;            // the number searched, and the twice-as-deep check
    uint64_t first_depth = 0, deeper_depth = 0;
    bool deeper_done = false;
    std::vector<Finding> findings;
    std::string note;                // why nothing was searched, if so
};

// Evaluates the PCF (certified digits; Richardson extrapolation when it converges too slowly for
// the digits asked), searches relations, evaluates twice as deep at higher precision, and accepts
// only what passes the digits rule, the cross-check and the deeper check. Throws
// std::runtime_error when the PCF does not converge.
PcfIdentification identify_pcf(const Pcf& pcf, const PcfIdentifyOptions& opt);

}  // namespace cvg
