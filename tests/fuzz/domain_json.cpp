// Fuzz target: domain files (the --domain JSON of search and blind), through Domain::from_json.
// Properties: malformed JSON throws nlohmann::json::exception, a bad domain std::invalid_argument
// (nothing else escapes); an accepted domain has every range exactly as written, a size equal to
// the product of the range sizes (<= 2^62), outer x inner = size, index 0 and size-1 map to the
// lows and the highs, and its canonical JSON reads back to the same domain.
#include "tests/fuzz/fuzz_check.hpp"

#include "search/domain.hpp"

#include <map>

using cvg::search::Domain;
using Json = nlohmann::ordered_json;

namespace {

// name -> the range as written in the file (dumped JSON numbers)
std::map<std::string, std::pair<std::string, std::string>> written_ranges(const Json& j) {
    std::map<std::string, std::pair<std::string, std::string>> out;
    const Json& ps = j["params"];
    auto put = [&](const std::string& name, const Json& r) { out[name] = {r[0].dump(), r[1].dump()}; };
    if (ps.is_object())
        for (auto it = ps.begin(); it != ps.end(); ++it) put(it.key(), it.value());
    else
        for (const Json& p : ps) put(p["name"].get<std::string>(), p["range"]);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view in = cvg::fuzz::as_text(data, size);
    Json j;
    try {
        j = Json::parse(in);
    } catch (const nlohmann::json::exception&) {
        return 0;
    }
    Domain d;
    try {
        d = Domain::from_json(j);
    } catch (const std::invalid_argument&) {
        return 0;
    }
    FUZZ_CHECK(!d.params().empty() && d.params().size() <= 32, in);
    auto written = written_ranges(j);
    uint64_t product = 1, inner = 1;
    for (size_t i = 0; i < d.params().size(); ++i) {
        const auto& p = d.params()[i];
        FUZZ_CHECK(p.lo <= p.hi, in);
        auto w = written.find(p.name);
        FUZZ_CHECK(w != written.end(), in, "parameter '" + p.name + "' is not in the file");
        FUZZ_CHECK(w->second.first == std::to_string(p.lo) && w->second.second == std::to_string(p.hi), in,
                   "'" + p.name + "' written [" + w->second.first + ", " + w->second.second + "], read [" +
                       std::to_string(p.lo) + ", " + std::to_string(p.hi) + "]");
        FUZZ_CHECK(product <= (uint64_t{1} << 62) / p.count(), in, "size beyond 2^62 accepted");
        product *= p.count();
        if (i >= d.outer_params()) inner *= p.count();
    }
    FUZZ_CHECK(d.size() == product && d.inner_size() == inner && d.outer_size() * d.inner_size() == d.size(), in);

    std::vector<int64_t> lo = d.values_at(0), hi = d.values_at(d.size() - 1);
    for (size_t i = 0; i < d.params().size(); ++i)
        FUZZ_CHECK(lo[i] == d.params()[i].lo && hi[i] == d.params()[i].hi, in, "index 0 / size-1 are not the corners");
    for (uint64_t idx : {uint64_t{0}, d.size() / 2, d.size() - 1}) {
        cvg::Pcf pcf = d.pcf_at(idx);
        FUZZ_CHECK(pcf.a.degree() <= d.a_degree() && pcf.b.degree() <= d.b_degree(), in, "instantiated degree too high");
    }

    Json canon = d.to_json();
    Domain back;
    try {
        back = Domain::from_json(canon);
    } catch (const std::invalid_argument& e) {
        cvg::fuzz::fail("the canonical domain reads back", __FILE__, __LINE__, in, canon.dump() + ": " + e.what());
    }
    FUZZ_CHECK(back.to_json() == canon && back.size() == d.size(), in, canon.dump() + " vs " + back.to_json().dump());
    return 0;
}
