#include "search/domain.hpp"

#include <cctype>
#include <limits>
#include <stdexcept>

namespace cvg::search {

namespace {

// The template parser recurses once per parenthesis and per sign; a template from a file is
// refused before parsing when these nest deeper than any real family needs.
constexpr int kMaxTemplateNesting = 200;

void check_template_nesting(const std::string& key, const std::string& t) {
    int parens = 0, signs = 0;
    for (char c : t) {
        if (c == '(') ++parens;
        else if (c == ')' && parens > 0) --parens;
        if (c == '+' || c == '-') ++signs;
        else if (!std::isspace(static_cast<unsigned char>(c))) signs = 0;
        if (parens + signs > kMaxTemplateNesting)
            throw std::invalid_argument("\"" + key + "\" is nested more than " + std::to_string(kMaxTemplateNesting) +
                                        " deep");
    }
}

// A JSON integer as int64: unsigned values beyond INT64_MAX are refused, not wrapped around.
bool json_int64(const nlohmann::ordered_json& v, int64_t& out) {
    if (!v.is_number_integer()) return false;
    if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return false;
    out = v.get<int64_t>();
    return true;
}

std::string box_template(char prefix, size_t n) {
    std::string t;
    for (size_t i = 0; i < n; ++i) {
        if (i) t += " + ";
        t += std::string(1, prefix) + std::to_string(i);
        if (i == 1) t += "*n";
        if (i >= 2) t += "*n^" + std::to_string(i);
    }
    return t;
}

}  // namespace

std::vector<std::pair<int64_t, int64_t>> parse_ranges(const std::string& text, int degree) {
    std::vector<std::pair<int64_t, int64_t>> out;
    size_t i = 0;
    while (i <= text.size()) {
        size_t j = text.find(',', i);
        if (j == std::string::npos) j = text.size();
        std::string part = text.substr(i, j - i);
        size_t colon = part.find(':', part[0] == '-' ? 1 : 0);
        try {
            if (colon == std::string::npos) throw std::invalid_argument("");
            size_t used = 0;
            int64_t lo = std::stoll(part.substr(0, colon), &used);
            if (used != colon) throw std::invalid_argument("");
            std::string hs = part.substr(colon + 1);
            int64_t hi = std::stoll(hs, &used);
            if (used != hs.size()) throw std::invalid_argument("");
            if (lo > hi) throw std::invalid_argument("'" + part + "' has lo > hi");
            if (lo < -1000000000 || hi > 1000000000) throw std::invalid_argument("'" + part + "' is beyond +-10^9");
            out.emplace_back(lo, hi);
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument(std::string(e.what()).empty() ? "'" + part + "' is not a range LO:HI" : e.what());
        } catch (const std::out_of_range&) {
            throw std::invalid_argument("'" + part + "' is out of range");
        }
        i = j + 1;
    }
    size_t want = static_cast<size_t>(degree) + 1;
    if (out.size() == 1) out.resize(want, out[0]);
    if (out.size() != want)
        throw std::invalid_argument(std::to_string(out.size()) + " ranges for a polynomial of degree " +
                                    std::to_string(degree) + " (give 1 or " + std::to_string(want) + ")");
    return out;
}

Domain Domain::box(const std::vector<std::pair<int64_t, int64_t>>& a_ranges,
                   const std::vector<std::pair<int64_t, int64_t>>& b_ranges) {
    Domain d;
    std::vector<std::string> names;
    for (size_t i = 0; i < a_ranges.size(); ++i) {
        d.params_.push_back({"a" + std::to_string(i), a_ranges[i].first, a_ranges[i].second});
        names.push_back(d.params_.back().name);
    }
    for (size_t i = 0; i < b_ranges.size(); ++i) {
        d.params_.push_back({"b" + std::to_string(i), b_ranges[i].first, b_ranges[i].second});
        names.push_back(d.params_.back().name);
    }
    d.a_ = TemplatePoly::parse(box_template('a', a_ranges.size()), names);
    d.b_ = TemplatePoly::parse(box_template('b', b_ranges.size()), names);
    d.finish();
    return d;
}

Domain Domain::from_json(const nlohmann::ordered_json& j) {
    if (!j.is_object()) throw std::invalid_argument("a domain is a JSON object with params, a and b");
    for (const char* key : {"params", "a", "b"})
        if (!j.contains(key)) throw std::invalid_argument(std::string("missing \"") + key + "\"");
    if (!j["a"].is_string() || !j["b"].is_string()) throw std::invalid_argument("\"a\" and \"b\" must be strings");
    Domain d;
    auto add = [&](const std::string& name, const nlohmann::ordered_json& r) {
        int64_t lo = 0, hi = 0;
        if (!r.is_array() || r.size() != 2 || !json_int64(r[0], lo) || !json_int64(r[1], hi))
            throw std::invalid_argument("the range of '" + name + "' must be [lo, hi] with integers within +-10^9");
        if (lo > hi) throw std::invalid_argument("the range of '" + name + "' has lo > hi");
        if (lo < -1000000000 || hi > 1000000000) throw std::invalid_argument("the range of '" + name + "' exceeds +-10^9");
        if (name.empty() || name == "n" || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_'))
            throw std::invalid_argument("bad parameter name '" + name + "'");
        for (const Param& p : d.params_)
            if (p.name == name) throw std::invalid_argument("parameter '" + name + "' given twice");
        d.params_.push_back({name, lo, hi});
    };
    const auto& ps = j["params"];
    if (ps.is_object()) {
        for (auto it = ps.begin(); it != ps.end(); ++it) add(it.key(), it.value());
    } else if (ps.is_array()) {
        for (const auto& p : ps) {
            if (!p.is_object() || !p.contains("name") || !p["name"].is_string() || !p.contains("range"))
                throw std::invalid_argument("each parameter is {\"name\": ..., \"range\": [lo, hi]}");
            add(p["name"].get<std::string>(), p["range"]);
        }
    } else {
        throw std::invalid_argument("\"params\" must be an object or an array");
    }
    if (d.params_.empty()) throw std::invalid_argument("no parameters");
    if (d.params_.size() > 32) throw std::invalid_argument("more than 32 parameters");
    std::vector<std::string> names;
    for (const Param& p : d.params_) names.push_back(p.name);
    check_template_nesting("a", j["a"].get<std::string>());
    check_template_nesting("b", j["b"].get<std::string>());
    try {
        d.a_ = TemplatePoly::parse(j["a"].get<std::string>(), names);
        d.b_ = TemplatePoly::parse(j["b"].get<std::string>(), names);
    } catch (const ParseError& e) {
        throw std::invalid_argument(e.what());
    }
    d.finish();
    return d;
}

void Domain::finish() {
    // Parameters a(n) uses go first (slowest); re-parse the templates in the new order.
    std::vector<Param> outer, inner;
    for (size_t i = 0; i < params_.size(); ++i) (a_.uses(i) ? outer : inner).push_back(params_[i]);
    std::vector<Param> ordered = outer;
    ordered.insert(ordered.end(), inner.begin(), inner.end());
    std::vector<std::string> names;
    for (const Param& p : ordered) names.push_back(p.name);
    std::string at = a_.text(), bt = b_.text();
    params_ = ordered;
    outer_ = outer.size();
    a_ = TemplatePoly::parse(at, names);
    b_ = TemplatePoly::parse(bt, names);
    if (a_.degree_in_n() < 0 && b_.degree_in_n() < 0) throw std::invalid_argument("a and b are both zero");
    size_ = 1;
    inner_size_ = 1;
    for (size_t i = 0; i < params_.size(); ++i) {
        uint64_t c = params_[i].count();
        if (size_ > (uint64_t{1} << 62) / c) throw std::invalid_argument("the domain has more than 2^62 PCFs");
        size_ *= c;
        if (i >= outer_) inner_size_ *= c;
    }
}

std::vector<int64_t> Domain::values_at(uint64_t index) const {
    std::vector<int64_t> v(params_.size());
    for (size_t i = params_.size(); i-- > 0;) {
        uint64_t c = params_[i].count();
        v[i] = params_[i].lo + static_cast<int64_t>(index % c);
        index /= c;
    }
    return v;
}

Pcf Domain::pcf_at(uint64_t index) const {
    std::vector<int64_t> v = values_at(index);
    return Pcf{a_.instantiate(v), b_.instantiate(v)};
}

nlohmann::ordered_json Domain::to_json() const {
    nlohmann::ordered_json j;
    j["params"] = nlohmann::ordered_json::array();
    for (const Param& p : params_) j["params"].push_back({{"name", p.name}, {"range", {p.lo, p.hi}}});
    j["a"] = a_.text();
    j["b"] = b_.text();
    return j;
}

}  // namespace cvg::search
