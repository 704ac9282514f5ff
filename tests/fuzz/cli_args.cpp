// Fuzz target: command-line handling of the options a search or blind run is driven by. The input
// is split on newlines and NULs into arguments; CLI11 parses them with the real option
// definitions (add_domain_options, plus --shard, --a, --b, --constant as search declares them),
// then the values go through domain_from_args, parse_shard, parse_poly_arg and ConstExpr::parse.
// Each argument also goes straight to parse_ranges, parse_shard, parse_constant and ConstExpr.
// (The subcommands themselves are not run in-process: their callbacks compute and write files.)
// Properties: only CLI::Error, UsageError, ParseError, std::invalid_argument and (evaluating a
// constant expression) std::domain_error are thrown; accepted ranges are within +-10^9 with
// lo <= hi, one per coefficient, and their canonical text reads back the same; an accepted shard
// is plain digits "i/N" with i < N <= 10^6; a box domain has the degrees and ranges asked for;
// a constant's canonical name and an expression's text read back the same.
#include "tests/fuzz/fuzz_check.hpp"

#include "src/cli/common.hpp"
#include "src/cli/domain_args.hpp"
#include "src/const_expr.hpp"
#include "src/constants.hpp"

#include <cctype>

using cvg::cli::UsageError;

namespace {

std::vector<std::string> split(std::string_view in) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t i = 0; i <= in.size(); ++i)
        if (i == in.size() || in[i] == '\n' || in[i] == '\0') {
            if (i > start) out.emplace_back(in.substr(start, i - start));
            start = i + 1;
        }
    return out;
}

std::string ranges_text(const std::vector<std::pair<int64_t, int64_t>>& r) {
    std::string s;
    for (const auto& [lo, hi] : r) s += (s.empty() ? "" : ",") + std::to_string(lo) + ":" + std::to_string(hi);
    return s;
}

void check_ranges(const std::string& text, int degree, std::string_view in) {
    std::vector<std::pair<int64_t, int64_t>> r;
    try {
        r = cvg::search::parse_ranges(text, degree);
    } catch (const std::invalid_argument&) {
        return;
    }
    FUZZ_CHECK(r.size() == static_cast<size_t>(degree) + 1, in, "ranges for degree " + std::to_string(degree));
    for (const auto& [lo, hi] : r) FUZZ_CHECK(lo <= hi && lo >= -1000000000 && hi <= 1000000000, in, ranges_text(r));
    FUZZ_CHECK(cvg::search::parse_ranges(ranges_text(r), degree) == r, in, "canonical ranges read back differently");
}

void check_shard(const std::string& text, std::string_view in) {
    std::pair<uint64_t, uint64_t> s;
    try {
        s = cvg::cli::parse_shard("--shard", text);
    } catch (const UsageError& e) {
        FUZZ_CHECK(std::string_view(e.what()).find("--shard") == 0, in, "the error names the option");
        return;
    }
    size_t slash = text.find('/');
    bool plain = slash != text.npos && slash > 0 && slash + 1 < text.size();
    for (size_t i = 0; plain && i < text.size(); ++i)
        plain = i == slash || std::isdigit(static_cast<unsigned char>(text[i]));
    FUZZ_CHECK(plain, in, "accepted a shard that is not i/N: '" + text + "'");
    FUZZ_CHECK(s.first < s.second && s.second <= 1000000, in);
    auto back = cvg::cli::parse_shard("--shard", std::to_string(s.first) + "/" + std::to_string(s.second));
    FUZZ_CHECK(back == s, in);
}

void check_constant(const std::string& text, std::string_view in) {
    cvg::ConstantExpr c;
    try {
        c = cvg::parse_constant(text);
    } catch (const cvg::ParseError&) {
        return;
    }
    std::string canon = c.str();
    FUZZ_CHECK(!canon.empty() && cvg::parse_constant(canon).str() == canon, in, "canonical name '" + canon + "'");
}

void check_const_expr(const std::string& text, std::string_view in) {
    cvg::ConstExpr e;
    try {
        e = cvg::ConstExpr::parse(text);
    } catch (const cvg::ParseError&) {
        return;
    }
    FUZZ_CHECK(e.text() == text, in);
    cvg::ConstExpr again = cvg::ConstExpr::parse(e.text());
    if (text.size() > 48) return;  // evaluation: short expressions only (a tower of exp is slow by nature)
    try {
        cvg::Ball v = e.value(64);
        FUZZ_CHECK(arb_is_finite(v.get()) && arb_rel_accuracy_bits(v.get()) >= 64, in, "value without 64 good bits");
    } catch (const std::domain_error&) {
    }
}

void check_cli(const std::vector<std::string>& args, std::string_view in) {
    CLI::App app{"fuzz"};
    cvg::cli::DomainArgs dom;
    std::string shard, a, b, constant;
    cvg::cli::add_domain_options(&app, dom, true);
    app.add_option("--shard", shard);
    app.add_option("--a", a);
    app.add_option("--b", b);
    app.add_option("--constant", constant);
    std::vector<std::string> argv(args.rbegin(), args.rend());  // CLI11 takes them reversed
    try {
        app.parse(argv);
    } catch (const CLI::Error&) {
        return;
    }
    dom.domain_file.clear();  // domain files have their own target; a fuzzed path could be a FIFO
    try {
        auto d = cvg::cli::domain_from_args(dom);
        if (d) {
            FUZZ_CHECK(d->a_degree() <= dom.a_deg && d->b_degree() <= dom.b_deg, in);
            FUZZ_CHECK(d->params().size() == static_cast<size_t>(dom.a_deg + dom.b_deg + 2), in);
            for (const auto& p : d->params()) FUZZ_CHECK(p.lo <= p.hi && p.lo >= -1000000000 && p.hi <= 1000000000, in);
        }
        if (!shard.empty()) cvg::cli::parse_shard("--shard", shard);
        if (!a.empty()) cvg::cli::parse_poly_arg("--a", a);
        if (!b.empty()) cvg::cli::parse_poly_arg("--b", b);
    } catch (const UsageError& e) {
        std::string_view m = e.what();
        FUZZ_CHECK(m.find('\n') == m.npos || in.find('\n') != in.npos, in, "multi-line error");
    }
    if (!constant.empty()) check_const_expr(constant, in);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view in = cvg::fuzz::as_text(data, size);
    std::vector<std::string> args = split(in);
    if (args.size() > 64) return 0;
    check_cli(args, in);
    for (const std::string& s : args) {
        for (int degree : {0, 1, 3}) check_ranges(s, degree, in);
        check_shard(s, in);
        check_constant(s, in);
        check_const_expr(s, in);
    }
    return 0;
}
