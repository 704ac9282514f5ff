// Fuzz target: decimal digit input (identify's VALUE and the text of an @file), through
// parse_decimal_target, and honest decimal output of the resulting ball (certified_decimal,
// Decimal::str).
// Properties: only ParseError is thrown, with a one-line message; a reference parser written from
// the documented grammar (identify.hpp) accepts exactly the same inputs and finds the same number
// of significant digits; the ball is finite, has the input's sign and excludes 0 (unless the
// input is a lone 1: one unit of the last digit reaches down to 0); the digits
// certified for it are a prefix of the digits typed, at the typed decimal position.
#include "tests/fuzz/fuzz_check.hpp"

#include "src/decimal.hpp"
#include "src/identify.hpp"

#include <cctype>
#include <optional>

namespace {

struct Ref {
    bool negative = false;
    std::string sig;  // significant digits (leading zeros removed)
    long exp10 = 0;   // value = 0.sig x 10^exp10
};

// The grammar of identify.hpp: white space anywhere is ignored; optional sign; digits with an
// optional point (at least one digit); optional exponent e/E[+-]d{1,9}; optional "..." or "…".
std::optional<Ref> reference(std::string_view text) {
    std::string s;
    for (char c : text)
        if (!std::isspace(static_cast<unsigned char>(c))) s += c;
    if (s.size() >= 3 && s.compare(s.size() - 3, 3, "\xE2\x80\xA6") == 0) s.resize(s.size() - 3);
    else if (s.size() >= 3 && s.compare(s.size() - 3, 3, "...") == 0) s.resize(s.size() - 3);
    Ref r;
    size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) r.negative = s[i++] == '-';
    std::string mant;
    long frac = 0;
    bool point = false;
    for (; i < s.size(); ++i) {
        if (std::isdigit(static_cast<unsigned char>(s[i]))) { mant += s[i]; if (point) ++frac; }
        else if (s[i] == '.' && !point) point = true;
        else break;
    }
    if (mant.empty()) return std::nullopt;
    long e = 0;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        bool neg = false;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
        size_t ds = i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        if (ds == i || i - ds > 9) return std::nullopt;
        for (size_t k = ds; k < i; ++k) e = e * 10 + (s[k] - '0');
        if (neg) e = -e;
    }
    if (i != s.size()) return std::nullopt;
    size_t nz = mant.find_first_not_of('0');
    if (nz == std::string::npos) return std::nullopt;
    r.sig = mant.substr(nz);
    long int_digits = static_cast<long>(mant.size()) - frac - static_cast<long>(nz);  // digits of sig before the point
    r.exp10 = int_digits + e;
    return r;
}

// sig rounded half up to k significant digits, and 1 when that carried into a new leading digit
// (999 -> 100). A tie cannot be a rounded result: the ends of the ball would round apart.
std::pair<std::string, long> round_sig(const std::string& sig, size_t k) {
    if (k >= sig.size()) return {sig + std::string(k - sig.size(), '0'), 0};
    std::string r = sig.substr(0, k);
    if (sig[k] < '5') return {r, 0};
    size_t i = k;
    while (i > 0 && r[i - 1] == '9') r[--i] = '0';
    if (i == 0) return {"1" + std::string(k - 1, '0'), 1};
    ++r[i - 1];
    return {r, 0};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view in = cvg::fuzz::as_text(data, size);
    std::optional<Ref> ref = reference(in);
    cvg::Target t;
    try {
        t = cvg::parse_decimal_target(in);
    } catch (const cvg::ParseError& e) {
        FUZZ_CHECK(!ref, in, std::string("rejected a valid decimal: ") + e.what());
        std::string_view msg = e.what();
        FUZZ_CHECK(msg.find('\n') == msg.npos, in, "multi-line error");
        return 0;
    }
    FUZZ_CHECK(ref.has_value(), in, "accepted an invalid decimal");
    FUZZ_CHECK(t.digits == static_cast<long>(ref->sig.size()), in,
               std::to_string(t.digits) + " digits, the reference counts " + std::to_string(ref->sig.size()));
    const arb_struct* b = t.value.get();
    FUZZ_CHECK(arb_is_finite(b), in, "the ball is not finite");
    // radius one unit of the last digit: only a lone leading 1 ("1", "1e5") reaches down to 0
    FUZZ_CHECK(!arb_contains_zero(b) || ref->sig == "1", in, "the ball contains 0");
    FUZZ_CHECK((arf_sgn(arb_midref(b)) < 0) == ref->negative, in, "wrong sign");

    cvg::Decimal d = cvg::certified_decimal(t.value, t.digits);
    long exp10 = ref->exp10;
    if (d.rounded) {  // the typed value (the ball's midpoint) rounds to the digits, like every point
        auto [r, carry] = round_sig(ref->sig, d.digits.size());
        FUZZ_CHECK(r == d.digits, in, "rounded digits " + d.digits + ", the typed " + ref->sig + " rounds to " + r);
        exp10 += carry;
    } else {
        FUZZ_CHECK(d.digits.size() <= ref->sig.size() && ref->sig.compare(0, d.digits.size(), d.digits) == 0, in,
                   "certified digits " + d.digits + " are not a prefix of " + ref->sig);
    }
    if (!d.digits.empty()) {
        FUZZ_CHECK(d.exp10 == exp10, in, "decimal exponent " + std::to_string(d.exp10) + ", typed " + std::to_string(exp10));
        FUZZ_CHECK(d.negative == ref->negative, in, "certified sign");
    }
    std::string shown = d.str();
    FUZZ_CHECK(!shown.empty(), in);
    return 0;
}
