// A search domain: a(n) and b(n) as templates over integer parameters with ranges, e.g. the
// box "a of degree 1 with coefficients in [-13, 13], b of degree 2 with coefficients in
// [-11, 11]", or a family with relations between coefficients, from a JSON domain file.
// PCFs are numbered 0 .. size()-1 (parameters that a(n) uses vary slowest, so consecutive
// PCFs share a(n)); numbered work units of unit_size PCFs cut the domain deterministically.
#pragma once

#include "search/template_poly.hpp"
#include "src/pcf.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace cvg::search {

struct Param {
    std::string name;
    int64_t lo = 0, hi = 0;
    uint64_t count() const { return static_cast<uint64_t>(hi - lo) + 1; }
};

class Domain {
public:
    // Box domain: a0..a_deg and b0..b_deg each over their range (ascending coefficient order).
    static Domain box(const std::vector<std::pair<int64_t, int64_t>>& a_ranges,
                      const std::vector<std::pair<int64_t, int64_t>>& b_ranges);
    // {"params": [{"name": "x0", "range": [1, 10]}, ...] or {"x0": [1, 10], ...},
    //  "a": "template", "b": "template"}. Throws std::invalid_argument with the problem.
    static Domain from_json(const nlohmann::ordered_json& j);

    uint64_t size() const { return size_; }
    uint64_t inner_size() const { return inner_size_; }   // PCFs per a(n) block
    uint64_t outer_size() const { return size_ / inner_size_; }
    const std::vector<Param>& params() const { return params_; }  // outer first, then inner
    size_t outer_params() const { return outer_; }
    const TemplatePoly& a() const { return a_; }
    const TemplatePoly& b() const { return b_; }

    std::vector<int64_t> values_at(uint64_t index) const;
    Pcf pcf_at(uint64_t index) const;
    int a_degree() const { return a_.degree_in_n(); }
    int b_degree() const { return b_.degree_in_n(); }

    nlohmann::ordered_json to_json() const;  // canonical: identifies the domain in run parameters

private:
    void finish();  // order parameters, compute sizes, validate
    std::vector<Param> params_;
    TemplatePoly a_, b_;
    size_t outer_ = 0;
    uint64_t size_ = 0, inner_size_ = 1;
};

// "-13:13" or "-13:13,0:5,..." (one range per coefficient, ascending; a single range applies
// to every coefficient). Throws std::invalid_argument.
std::vector<std::pair<int64_t, int64_t>> parse_ranges(const std::string& text, int degree);

}  // namespace cvg::search
