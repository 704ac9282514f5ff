// Recursive-descent parser for polynomial expressions in n (DESIGN.md):
//   expr  := term (('+' | '-') term)*
//   term  := unary (['*'] unary)*        implicit product before a number, 'n' or '('
//   unary := ('+' | '-') unary | power
//   power := primary ['^' integer]
//   primary := integer | 'n' | '(' expr ')'
// Degree and coefficient size are bounded while parsing, so no input can exhaust memory, and so is
// the nesting of parentheses and signs (kMaxNesting), so no input can exhaust the stack.
#include "src/poly.hpp"

#include <cctype>

namespace cvg {
namespace {

constexpr int kMaxNesting = 200;

class Parser {
public:
    explicit Parser(std::string_view s) : s_(s) {}

    Poly parse() {
        skip_ws();
        if (pos_ == s_.size()) fail("empty polynomial");
        Poly p = expr();
        skip_ws();
        if (pos_ != s_.size()) fail_here("unexpected '" + std::string(1, s_[pos_]) + "'");
        return p;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw ParseError(what + " in '" + std::string(s_) + "'");
    }
    [[noreturn]] void fail_here(const std::string& what) const {
        throw ParseError(what + " at position " + std::to_string(pos_ + 1) + " in '" +
                         std::string(s_) + "'");
    }

    void skip_ws() {
        while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    }
    char peek() {
        skip_ws();
        return pos_ < s_.size() ? s_[pos_] : '\0';
    }
    // One more level of recursion (a parenthesis or a sign); undone when the guard goes.
    struct Nest {
        Parser& p;
        explicit Nest(Parser& parser) : p(parser) {
            if (++p.depth_ > kMaxNesting)
                p.fail_here("nested more than " + std::to_string(kMaxNesting) + " deep");
        }
        ~Nest() { --p.depth_; }
    };

    bool starts_factor(char c) const {
        return std::isdigit(static_cast<unsigned char>(c)) || c == 'n' || c == '(';
    }

    static Poly checked(Poly p, const Parser& self) {
        if (p.degree() > Poly::kMaxDegree)
            self.fail("degree " + std::to_string(p.degree()) + " exceeds the maximum " +
                      std::to_string(Poly::kMaxDegree));
        for (const Int& c : p.coeffs())
            if (c.bits() > Poly::kMaxCoeffBits)
                self.fail("coefficient larger than 2^" + std::to_string(Poly::kMaxCoeffBits));
        return p;
    }

    Poly expr() {
        Poly acc = term();
        for (char c = peek(); c == '+' || c == '-'; c = peek()) {
            ++pos_;
            if (peek() == '\0') fail_here(std::string("missing term after '") + c + "'");
            Poly t = term();
            acc = checked(c == '+' ? acc + t : acc - t, *this);
        }
        return acc;
    }

    Poly term() {
        Poly acc = unary();
        for (;;) {
            char c = peek();
            if (c == '*') {
                ++pos_;
                if (peek() == '\0') fail_here("missing factor after '*'");
            } else if (!starts_factor(c)) {
                break;
            } else if (std::isdigit(static_cast<unsigned char>(c)) && last_was_number_) {
                fail_here("missing operator between two numbers");
            }
            Poly f = unary();
            if (acc.degree() + f.degree() > Poly::kMaxDegree)
                fail("degree " + std::to_string(acc.degree() + f.degree()) +
                     " exceeds the maximum " + std::to_string(Poly::kMaxDegree));
            acc = checked(acc * f, *this);
        }
        return acc;
    }

    Poly unary() {
        char c = peek();
        if (c == '+' || c == '-') {
            ++pos_;
            if (peek() == '\0') fail_here(std::string("missing operand after '") + c + "'");
            Nest nest(*this);
            Poly u = unary();
            return c == '-' ? -u : u;
        }
        return power();
    }

    Poly power() {
        Poly base = primary();
        if (peek() != '^') return base;
        ++pos_;
        char c = peek();
        if (c == '\0') fail_here("missing exponent after '^'");
        if (c == '-') fail_here("negative exponent");
        if (!std::isdigit(static_cast<unsigned char>(c)))
            fail_here("the exponent must be a non-negative integer");
        size_t start = pos_;
        while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
        check_not_decimal();
        std::string_view digits = s_.substr(start, pos_ - start);
        // Reject huge exponents before computing anything.
        unsigned long e = 0;
        for (char d : digits) {
            e = e * 10 + static_cast<unsigned long>(d - '0');
            if (e > 1000000) break;
        }
        int base_deg = base.degree();
        if (base_deg >= 1 && e > static_cast<unsigned long>(Poly::kMaxDegree / base_deg))
            fail("degree " + (e > 1000000 ? std::string(digits) + "*" + std::to_string(base_deg)
                                          : std::to_string(e * base_deg)) +
                 " exceeds the maximum " + std::to_string(Poly::kMaxDegree));
        if (peek() == '^') fail_here("chained '^' is ambiguous: use parentheses");
        last_was_number_ = false;
        if (base_deg <= 0) {  // a constant to a power: decide the result's size first
            if (base.is_zero()) return e == 0 ? Poly::from_si({1}) : Poly();
            const Int& c = base.coeffs()[0];
            if (fmpz_is_pm1(c.get())) {  // (+-1)^e depends only on the parity of e
                bool odd = (digits.back() - '0') % 2 == 1;
                return (odd && c.sign() < 0) ? Poly::from_si({-1}) : Poly::from_si({1});
            }
            if (e > Poly::kMaxCoeffBits || (c.bits() - 1) * e > Poly::kMaxCoeffBits)
                fail("coefficient larger than 2^" + std::to_string(Poly::kMaxCoeffBits));
        }
        Poly r = Poly::from_si({1});
        for (unsigned long i = 0; i < e; ++i) r = checked(r * base, *this);
        return r;
    }

    void check_not_decimal() {
        if (pos_ < s_.size() && (s_[pos_] == '.' || s_[pos_] == ','))
            fail_here("coefficients must be integers");
    }

    Poly primary() {
        char c = peek();
        last_was_number_ = false;
        if (std::isdigit(static_cast<unsigned char>(c))) {
            size_t start = pos_;
            while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
            check_not_decimal();
            std::string digits(s_.substr(start, pos_ - start));
            if (digits.size() > Poly::kMaxCoeffBits * 30103 / 100000 + 1)
                fail("coefficient larger than 2^" + std::to_string(Poly::kMaxCoeffBits));
            Int v;
            fmpz_set_str(v.get(), digits.c_str(), 10);
            last_was_number_ = true;
            return checked(Poly({v}), *this);
        }
        if (c == 'n') {
            ++pos_;
            if (pos_ < s_.size() && std::isalnum(static_cast<unsigned char>(s_[pos_])) &&
                !std::isdigit(static_cast<unsigned char>(s_[pos_])))
                fail_here("unknown symbol '" + word() + "'; polynomials are in n");
            if (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_])))
                fail_here("missing operator between 'n' and a number (write n^k or k*n)");
            return Poly::from_si({0, 1});
        }
        if (c == '(') {
            ++pos_;
            if (peek() == ')') fail_here("empty parentheses");
            Nest nest(*this);
            Poly inner = expr();
            if (peek() != ')') fail_here("missing ')'");
            ++pos_;
            return inner;
        }
        if (c == '\0') fail_here("unexpected end of input");
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_')
            fail_here("unknown symbol '" + word() + "'; polynomials are in n");
        fail_here("unexpected '" + std::string(1, c) + "'");
    }

    std::string word() {
        size_t start = pos_;
        while (start > 0 && std::isalnum(static_cast<unsigned char>(s_[start - 1]))) --start;
        size_t end = pos_;
        while (end < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[end])) || s_[end] == '_'))
            ++end;
        return std::string(s_.substr(start, end - start));
    }

    std::string_view s_;
    size_t pos_ = 0;
    int depth_ = 0;
    bool last_was_number_ = false;
};

}  // namespace

Poly Poly::parse(std::string_view expr) { return Parser(expr).parse(); }

}  // namespace cvg
